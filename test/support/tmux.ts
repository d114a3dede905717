import { execFileSync } from 'node:child_process';

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
export const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A real terminal for the built CLI: a detached tmux session we type into and read back. */
export class Terminal {
  constructor(
    readonly session: string,
    private readonly size = { columns: 100, rows: 30 },
  ) {}

  /** Starts a shell command in a fresh pane; the environment goes on the command line (a running tmux server keeps its own). */
  start(command: string): void {
    this.kill();
    tmux('new-session', '-d', '-s', this.session, '-x', String(this.size.columns), '-y', String(this.size.rows), `${command}; echo "KUBELAB_EXIT=$?"; sleep 600`);
  }

  exists(): boolean {
    try {
      tmux('has-session', '-t', this.session);
      return true;
    } catch {
      return false;
    }
  }

  kill(): void {
    if (this.exists()) tmux('kill-session', '-t', this.session);
  }

  /** The pane with its scrollback: finished output scrolls up as the transcript grows. */
  screen(): string {
    return tmux('capture-pane', '-p', '-J', '-S', '-300', '-t', this.session);
  }

  visible(): string {
    return tmux('capture-pane', '-p', '-t', this.session);
  }

  async see(text: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.screen().includes(text)) {
      if (Date.now() > deadline) throw new Error(`the screen never showed "${text}". It shows:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async press(key: string): Promise<void> {
    tmux('send-keys', '-t', this.session, key);
    await new Promise((r) => setTimeout(r, 150));
  }
}
