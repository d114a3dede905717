import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/errors.js';
import { clusterHealth, unusableCluster, watchCluster } from '../../../src/providers/health.js';
import { checkHealth } from '../../../src/providers/probe.js';

function kubeconfigFor(server: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kubelab-health-')), 'config');
  writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', 'current-context: c',
    `clusters: [{name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]`,
    'users: [{name: u, user: {token: abc}}]',
    'contexts: [{name: c, context: {cluster: c, user: u}}]', '',
  ].join('\n'));
  return file;
}

const refused = () => ({ provider: 'existing' as const, name: 'dead', kubeconfig: kubeconfigFor('https://127.0.0.1:1'), context: 'c' });

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A plain HTTP endpoint answering with a status and body: etcd's /health and kwok's /healthz are plain HTTP. */
function endpoint(status: number, body: string): Promise<string> {
  return new Promise((resolve) => {
    const server = createServer((_, res) => res.writeHead(status).end(body));
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`));
  });
}

describe('cluster health (what is down, said at once)', () => {
  it('given health endpoints that answer ok, unhealthy, and forbidden, when asked, then only the unhealthy one is down and its own words are kept', async () => {
    const signal = new AbortController().signal;
    expect(await checkHealth({ kind: 'url', url: `${await endpoint(200, '{"health":"true","reason":""}')}/health` }, signal)).toEqual({ ok: true, detail: '/health ok' });
    expect(await checkHealth({ kind: 'url', url: `${await endpoint(503, '{"health":"false","reason":"RAFT NO LEADER"}')}/health` }, signal)).toMatchObject({ ok: false, detail: expect.stringContaining('HTTP 503') });
    expect(await checkHealth({ kind: 'url', url: `${await endpoint(500, '[+]ping ok\n[-]informer-sync failed: reason withheld\nhealthz check failed')}/healthz` }, signal)).toMatchObject({ ok: false, detail: expect.stringContaining('[-]informer-sync failed') });
    expect(await checkHealth({ kind: 'url', url: `${await endpoint(403, 'forbidden')}/healthz` }, signal)).toMatchObject({ ok: true });
    expect(await checkHealth({ kind: 'url', url: 'http://127.0.0.1:1/healthz' }, signal)).toMatchObject({ ok: false, detail: expect.stringContaining('ECONNREFUSED') });
  });

  it('given a cluster whose API server refuses connections, when its health is asked, then the API server is down and the error is exit 3 naming it', async () => {
    const connection = refused();
    const signal = new AbortController().signal;
    const [apiserver] = await clusterHealth(connection, { signal });
    expect(apiserver).toMatchObject({ name: 'kube-apiserver', healthy: false, detail: expect.stringContaining('ECONNREFUSED') });
    const error = await unusableCluster(connection, { signal, attempts: 2 });
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toMatch(/^The existing cluster "dead" is not usable: kube-apiserver \(.*ECONNREFUSED.*\) is down\.$/);
  });

  it('given a watch on a cluster that stops answering, when a command waits on its signal, then the signal aborts after the strikes with the reason', async () => {
    const parent = new AbortController();
    const started = Date.now();
    const watch = watchCluster(refused(), { signal: parent.signal, intervalMs: 100, strikes: 2 });
    await new Promise((resolve) => watch.signal.addEventListener('abort', resolve, { once: true }));
    expect(watch.down()?.message).toContain('kube-apiserver');
    expect(watch.signal.reason).toBe(watch.down());
    expect(parent.signal.aborted).toBe(false);
    expect(Date.now() - started).toBeLessThan(15_000);
    watch.stop();
  });

  it('given a watch that is stopped before anything is found, when the caller goes on, then its signal stays usable', async () => {
    const watch = watchCluster(refused(), { signal: new AbortController().signal, intervalMs: 10_000 });
    watch.stop();
    expect(watch.signal.aborted).toBe(false);
    expect(watch.down()).toBeUndefined();
  });
});
