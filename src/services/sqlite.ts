import { EnvironmentError } from '../errors.js';

/**
 * better-sqlite3 is an optional dependency: it compiles native code on install (minutes on a busy
 * machine, and impossible without a C++ toolchain), and only `kubelab class serve` needs it. A
 * learner or a workshop's CI installs kubelab without it; the instructor learns here, before the
 * server starts, what is missing and how to get it.
 */
export async function requireSqlite(): Promise<void> {
  let problem: string | undefined;
  try {
    const { default: Database } = await import('better-sqlite3');
    // The JavaScript can be present while its compiled binding is not (install scripts skipped).
    new Database(':memory:').close();
  } catch (error) {
    problem = (error as Error).message.split('\n')[0];
  }
  if (problem !== undefined) {
    throw new EnvironmentError(
      `kubelab class serve keeps the class in SQLite, and better-sqlite3 is not usable here: ${problem}`,
      'Install it beside kubelab (it compiles; needs python3, make and a C++ compiler): npm install better-sqlite3',
    );
  }
}
