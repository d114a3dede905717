import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { defineChecker, missing, notApplicable, pass, pending } from '../src/engine/checker.js';
import { Redactor } from '../src/engine/running/redact.js';
import { runBlock } from '../src/engine/running/runner.js';
import { scenarioScript, shellQuote, verdictLine } from '../src/engine/loading/formats/killercoda/scripts.js';

const scriptArgs = z
  .object({
    /** The bash script, relative to the lesson folder (a Killercoda step's verify.sh). */
    file: z.string().min(1),
    /**
     * A folder under the learner's workspace that stands for the machine the script was written
     * for: `/root`, `~` and `/tmp` in the script mean it, and commands the script would change the
     * machine with are not run (Killercoda scripts). Unset: the script runs as it is, from the lesson folder.
     */
    home: z.string().min(1).optional(),
    /** Why the script cannot run on simulated nodes (it calls `kubectl exec`…): there it is not applicable. */
    needs: z.string().min(1).optional(),
    /** Seconds between tries while waiting: what a script reads cannot be watched. */
    interval: z.number().min(0.2).max(300).default(2),
    /** Seconds one try may take before it is killed. */
    timeout: z.number().positive().max(600).default(60),
  })
  .strict();

const END = 'KUBELAB_VERIFY_SCRIPT_END';

export const script = defineChecker({
  id: 'script',
  description: 'A bash script from the lesson folder exits 0 (a Killercoda verify script). The message is its last ✅/❌ line, else its last line. Polled every `interval` seconds.',
  args: scriptArgs,
  pollIntervalMs: (args) => args.interval * 1000,
  async run(ctx, args) {
    const path = resolve(ctx.lessonDir, args.file);
    if (relative(ctx.lessonDir, path).startsWith('..')) return missing(`${args.file} is outside the lesson folder: not run`);
    if (!existsSync(path)) return missing(`${args.file} does not exist`, { hint: 'Run: kubelab lint' });
    if (args.needs && ctx.connection.simulated) return notApplicable(`not provable here: ${args.needs} (simulated nodes run no container)`);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    Object.assign(env, ctx.variables);
    const text = readFileSync(path, 'utf8');
    const code = args.home && ctx.variables.KUBELAB_WORKSPACE ? scenarioScript(text, shellQuote(join(ctx.variables.KUBELAB_WORKSPACE, args.home))).code : text;
    const lines: string[] = [];
    // Its own bash, not the runner's `-e -o pipefail`: a verify script is written for plain bash.
    const result = await runBlock(`bash <<'${END}'\n${code}\n${END}`, { env, cwd: ctx.lessonDir }, {
      timeoutMs: args.timeout * 1000,
      expect: 'success',
      signal: ctx.signal,
      redactor: Redactor.fromEnv(env),
      onLine: (_stream, line) => lines.push(line),
    });
    if (result.outcome === 'aborted') return missing('interrupted');
    const said = verdictLine(lines);
    if (result.outcome === 'timeout') return missing(`${args.file} did not finish within ${args.timeout} s${said ? `: ${said}` : ''}`);
    if (result.exitCode === 0) return pass(said && /✅|✔/u.test(said) ? said : `${args.file} exited 0${said ? `: ${said}` : ''}`);
    // A verify script cannot tell "not yet" from "wrong" (no state): it is asked again until the check's timeout.
    return pending(said ?? `${args.file} exited ${result.exitCode}`, { expected: 'exit 0', actual: `exit ${result.exitCode}` });
  },
});

export const checkers = [script];
