import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretFiles, secretsInKubeconfig } from '../../../src/engine/running/secret-sources.js';

const KUBECONFIG = `apiVersion: v1
kind: Config
users:
- name: learner
  user:
    token: kubelab-test-token-0123456789
- name: admin
  user:
    password: hunter2-but-longer
`;

describe('secret sources', () => {
  it('Given a kubeconfig, then each user\'s token and password are its secrets, and nothing else is', () => {
    expect(secretsInKubeconfig(KUBECONFIG)).toEqual(['kubelab-test-token-0123456789', 'hunter2-but-longer']);
    expect(secretsInKubeconfig('not: [yaml')).toEqual([]);
  });

  it('Given a workspace, when a token file appears and later changes, then its secret is found once per change and never again while unchanged', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'kubelab-secret-sources-'));
    const files = new SecretFiles({ workspaces: [workspace], rescanMs: 60_000 });
    expect(files.changedSecrets()).toEqual([]);

    // A new file changes its folder: seen on the next look, throttle or not.
    mkdirSync(join(workspace, 'keys'));
    writeFileSync(join(workspace, 'keys', 'api-token'), 'first-token-value-42\n');
    expect(files.changedSecrets()).toContain('first-token-value-42');
    expect(files.changedSecrets()).toEqual([]);

    // Rewritten in place: only a look forced past the throttle (between blocks) sees it.
    writeFileSync(join(workspace, 'keys', 'api-token'), 'second-token-value-43\n');
    expect(files.changedSecrets(true)).toContain('second-token-value-43');
    expect(files.changedSecrets(true)).toEqual([]);
  });
});
