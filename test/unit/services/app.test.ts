/**
 * The app service without the Ink view: the command hands it a view, and the service gives that
 * view the opened workshop and the services behind it. A view of the test's own shows what it gets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type AppOptions, type OpenedApp } from '../../../src/services/app.js';
import type { RunContext } from '../../../src/services/context.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubelab-app-service-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const context = (): RunContext => ({
  signal: new AbortController().signal,
  stdout: new PassThrough(),
  stderr: new PassThrough(),
  // No kind on PATH: the kind provider's cluster is "down", found without touching Docker.
  env: { KUBELAB_STATE_DIR: dir, PATH: '/nonexistent' },
  cwd: dir,
  interactive: true,
  color: false,
});

/** Opens the app with a view that keeps what it was given and ends at once with `code`. */
async function open(options: AppOptions, code = 0): Promise<{ exit: number; app: OpenedApp }> {
  let given: OpenedApp | undefined;
  const exit = await openApp(options, context(), Promise.resolve(async (app: OpenedApp) => ((given = app), code)));
  return { exit, app: given! };
}

describe('the app service, given a view', () => {
  it('Given the bundled workshop and no flags, when opened, then the view gets the workshop, the default local provider, fresh progress, a way to start the local cluster, and its exit code is the app\'s', async () => {
    const { exit, app } = await open({}, 7);
    expect(exit).toBe(7);
    expect(app.workshop.lessons.length).toBeGreaterThan(0);
    expect(app.provider).toBe('local');
    expect(app.progress.current).toBeUndefined();
    expect(app.progressWarning).toBeUndefined();
    expect(typeof app.startCluster).toBe('function');
    expect(Object.keys(app.providerMissing).sort()).toEqual([...app.workshop.providers].sort());
  });

  it('Given a provider chosen on the command line, when opened, then the app follows that cluster and never starts one', async () => {
    const { app } = await open({ provider: 'local' });
    expect(app.provider).toBe('local');
    expect(app.startCluster).toBeUndefined();
  });

  it('Given kind with no kind on PATH, when the view looks at the cluster, then it is told the cluster is down and what to do, without an exception', async () => {
    const { app } = await open({ provider: 'kind' });
    expect(app.provider).toBe('kind');
    expect(app.providerMissing.kind).toContain('kind');
    const look = await app.look('kind', new AbortController().signal);
    expect(look.cluster.state).toBe('down');
    expect(look.cluster).toMatchObject({ provider: 'kind', next: expect.stringMatching(/kind/) });
  });
});
