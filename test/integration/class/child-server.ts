/** Builds and runs `class serve` in a child process, for tests that crash the server. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs helper shared with the benchmarks, without type declarations.
import { bundleForNode } from '../../../scripts/bundle-for-node.mjs';

const REPO = join(import.meta.dirname, '..', '..', '..');

/** Bundles src into one file inside the repo's node_modules, so better-sqlite3 still resolves. */
export async function buildServeEntry(): Promise<string> {
  const outdir = join(REPO, 'node_modules', '.cache', 'kubelab-class-test');
  await bundleForNode({ serve: join(import.meta.dirname, 'serve-entry.ts') }, outdir);
  return join(outdir, 'serve.mjs');
}

export interface RunningServer {
  child: ChildProcess;
  url: string;
  classToken: string;
  instructorToken: string;
  stderr: () => string;
}

export async function startServeProcess(entry: string, stateDir: string, args: string[]): Promise<RunningServer> {
  const child = spawn(process.execPath, [entry, ...args], {
    env: { ...process.env, KUBELAB_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const joinLine = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`class serve did not print a join line in 10 s; stderr: ${stderr}`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^kubelab class join (\S+) --token (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`class serve exited with ${code}; stderr: ${stderr}`));
    });
  });
  const name = args[args.indexOf('--name') + 1]!;
  const instructorToken = (await readFile(join(stateDir, 'classes', `${name}.instructor-token`), 'utf8')).trim();
  return { child, url: joinLine[1]!, classToken: joinLine[2]!, instructorToken, stderr: () => stderr };
}

export async function stopServeProcess(server: RunningServer, signal: NodeJS.Signals): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = once(server.child, 'exit');
  server.child.kill(signal);
  await exited;
}
