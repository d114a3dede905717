import { afterAll, beforeAll, beforeEach } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cacheDir } from '../../src/paths.js';

/**
 * The real moto server (a local AWS API emulator from PyPI), installed by scripts/setup-moto.sh.
 * EKS integration tests point the real AWS SDK clients at it over HTTP.
 */
export interface Moto {
  endpoint: string;
  /** Env for kubelab's AWS clients: moto's endpoint plus fake credentials and a region. */
  env: NodeJS.ProcessEnv;
  /** Forgets every resource, so each test starts from an empty account. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** moto's server binary, or undefined when it is not installed (an error on CI, where it must be). */
export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidate = env.KUBELAB_MOTO_SERVER ?? join(cacheDir(env), 'moto-venv', 'bin', 'moto_server');
  if (existsSync(candidate)) return candidate;
  if (env.CI === 'true' || env.CI === '1') {
    throw new Error(`moto is not installed (looked for ${candidate}); run scripts/setup-moto.sh before the tests.`);
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startMoto(options: { timeoutMs?: number } = {}): Promise<Moto> {
  const server = findMotoServer();
  if (!server) throw new Error('moto is not installed; run scripts/setup-moto.sh');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(server, ['-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', killGroup);

  // Werkzeug announces "Running on http://127.0.0.1:<port>" when it accepts connections: wait for that line.
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`moto did not start within ${options.timeoutMs ?? 30_000} ms:\n${output}`)), options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`Running on ${endpoint}`)) done();
    };
    const onExit = (code: number | null) => fail(new Error(`moto exited (${code}) before it was ready:\n${output}`));
    function cleanup() {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      child.off('exit', onExit);
    }
    function done() {
      cleanup();
      resolve();
    }
    function fail(error: Error) {
      cleanup();
      killGroup();
      reject(error);
    }
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', onExit);
  });
  // Keep draining its request log so the pipe never fills and blocks moto.
  child.stdout.resume();
  child.stderr.resume();

  const check = await fetch(`${endpoint}/moto-api/data.json`);
  if (!check.ok) throw new Error(`moto answered ${check.status} on ${endpoint}`);

  return {
    endpoint,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KUBELAB_AWS_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-west-2',
    },
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
    },
    async stop() {
      process.off('exit', killGroup);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(killGroup, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * One moto server for the surrounding describe block, reset before each test, with an SDK client
 * on it: `useMoto((env) => createEksClient({ env }), (m, c) => { moto = m; eks = c; })`.
 */
export function useMoto<C extends { destroy(): void }>(createClient: (env: NodeJS.ProcessEnv) => Promise<C>, receive: (moto: Moto, client: C) => void): void {
  let moto: Moto | undefined;
  let client: C | undefined;
  beforeAll(async () => {
    moto = await startMoto();
    client = await createClient(moto.env);
    receive(moto, client);
  });
  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });
  beforeEach(async () => moto?.reset());
}
