import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { classCommand } from '../../../src/commands/class.js';
import { EnvironmentError } from '../../../src/errors.js';
import { joinClass } from '../../../src/class/client.js';
import { runCommand } from '../../support/command.js';

/** A class server that answers 429 to the first `busy` joins, then accepts. */
async function busyServer(busy: number): Promise<{ url: string; joins: () => number; server: Server }> {
  let joins = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      joins++;
      if (joins <= busy) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify({ error: 'too many requests, slow down' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ className: 'room-1', learnerId: 'l-1', learnerSecret: 's'.repeat(32) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, joins: () => joins, server };
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

describe('class join during a burst (issue 25, item 10)', () => {
  it('Given a server answering 429 twice, when joining, then the join retries with a pause and succeeds', async () => {
    const busy = await busyServer(2);
    servers.push(busy.server);
    const env = { KUBELAB_STATE_DIR: await mkdtemp(join(tmpdir(), 'kubelab-join-')) };
    const membership = await joinClass({ url: busy.url, token: 't', name: 'Ada', env, signal: new AbortController().signal, retryDelaysMs: [10, 20, 40] });
    expect(membership.className).toBe('room-1');
    expect(busy.joins()).toBe(3);
  });

  it('Given a server that keeps answering 429, when joining, then it gives up after its retries with an environment error (exit 3), not a usage error', async () => {
    const busy = await busyServer(1000);
    servers.push(busy.server);
    const env = { KUBELAB_STATE_DIR: await mkdtemp(join(tmpdir(), 'kubelab-join-')) };
    const refused = joinClass({ url: busy.url, token: 't', name: 'Ada', env, signal: new AbortController().signal, retryDelaysMs: [10, 20] });
    await expect(refused).rejects.toBeInstanceOf(EnvironmentError);
    await expect(refused).rejects.toThrow(/is busy \(too many requests\)/);
    expect(busy.joins()).toBe(3);
  });

  it('Given the command line and a server that keeps answering 429, when kubelab class join runs, then it exits 3', async () => {
    const busy = await busyServer(1000);
    servers.push(busy.server);
    const dir = await mkdtemp(join(tmpdir(), 'kubelab-join-'));
    const { code, stderr } = await runCommand(classCommand, ['join', busy.url, '--token', 't', '--name', 'Ada'], { env: { KUBELAB_STATE_DIR: dir }, cwd: dir });
    expect(stderr).toContain('is busy');
    expect(code).toBe(3);
    expect(busy.joins()).toBe(6);
  }, 60_000);
});
