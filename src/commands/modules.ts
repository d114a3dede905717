/**
 * Which module runs each declared command, loaded only when that command runs: the declarations
 * (catalog.ts) stay data, and this is the one file that knows the command modules. The type
 * makes a declared command without a module a compile error.
 */
import type { CommandName } from './catalog.js';
import type { Command } from './context.js';

export const COMMAND_MODULES: Readonly<Record<CommandName, () => Promise<Command>>> = {
  list: async () => (await import('./list.js')).listCommand,
  lint: async () => (await import('./lint.js')).lintCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  check: async () => (await import('./check.js')).checkCommand,
  reset: async () => (await import('./reset.js')).resetCommand,
  'catch-up': async () => (await import('./catch-up.js')).catchUpCommand,
  cluster: async () => (await import('./cluster.js')).clusterCommand,
  class: async () => (await import('./class.js')).classCommand,
  init: async () => (await import('./init.js')).initCommand,
  new: async () => (await import('./new.js')).newCommand,
  completion: async () => (await import('./completion.js')).completionCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  bundle: async () => (await import('./bundle.js')).bundleCommand,
  app: async () => (await import('./app.js')).appCommand,
};
