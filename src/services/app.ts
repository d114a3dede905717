/**
 * Opens the interactive app. This is the one module outside src/ui that loads it, and only
 * lazily: Ink and React are paid for by the app alone, never by a headless command.
 */
import type { ConnectionFlags } from './connection.js';
import type { RunContext } from './context.js';

export interface AppOptions extends ConnectionFlags {
  workshop?: string;
}

export async function openApp(options: AppOptions, context: RunContext): Promise<number> {
  const { runApp } = await import('../ui/run.js');
  return runApp(options, context);
}
