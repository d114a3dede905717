import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EnvironmentError, InterruptedError, UsageError } from '../../../src/errors.js';
import { createEksctlTooling, planEksCluster, renderTemplate } from '../../../src/providers/eks.js';
import type { ProviderIO } from '../../../src/providers/types.js';

/** eksctl/aws stand-ins on PATH: shell scripts, so the real subprocess code runs. */
describe('eksctl and aws CLI as subprocesses', () => {
  let bin: string;
  let logs: string[];
  beforeEach(async () => {
    bin = await mkdtemp(join(tmpdir(), 'kubelab-bin-'));
    logs = [];
  });
  afterEach(async () => rm(bin, { recursive: true, force: true }));

  async function tool(name: string, script: string) {
    await writeFile(join(bin, name), `#!/bin/sh\n${script}\n`);
    await chmod(join(bin, name), 0o755);
  }
  function io(signal = new AbortController().signal): ProviderIO {
    return { signal, log: (line) => logs.push(line), env: { PATH: `${bin}:/usr/bin:/bin`, HOME: bin } };
  }

  it('Given eksctl prints progress on stdout and stderr, when a cluster is created, then every line reaches the log with the command first', async () => {
    await tool('eksctl', 'echo "args: $*"; echo "[ℹ]  building cluster stack" >&2; echo "[✔]  EKS cluster ready"');
    await createEksctlTooling().createCluster('/tmp/cluster.yaml', io());
    expect(logs[0]).toBe('$ eksctl create cluster -f /tmp/cluster.yaml');
    // Two pipes interleave as the OS delivers them; within stdout the order holds.
    expect(logs.slice(1).sort()).toEqual(['[ℹ]  building cluster stack', '[✔]  EKS cluster ready', 'args: create cluster -f /tmp/cluster.yaml'].sort());
    expect(logs.indexOf('args: create cluster -f /tmp/cluster.yaml')).toBeLessThan(logs.indexOf('[✔]  EKS cluster ready'));
  });

  it('Given aws, when the kubeconfig is updated, then it writes only to the given file', async () => {
    await tool('aws', 'echo "$*" > "$8"');
    const target = join(bin, 'kubeconfig');
    await createEksctlTooling().updateKubeconfig('eks-workshop', 'us-west-2', target, io());
    expect(await readFile(target, 'utf8')).toBe(`eks update-kubeconfig --name eks-workshop --region us-west-2 --kubeconfig ${target}\n`);
  });

  it('Given eksctl fails, when a cluster is deleted, then an EnvironmentError gives its exit code', async () => {
    await tool('eksctl', 'echo "Error: cannot delete" >&2; exit 4');
    const error = await createEksctlTooling().deleteCluster('eks-workshop', 'us-west-2', io()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toBe('eksctl delete cluster failed (exit code 4); its output is above.');
    expect(logs).toContain('Error: cannot delete');
  });

  it('Given eksctl is not installed, when a cluster is created, then the error says so and how to install it', async () => {
    const error = await createEksctlTooling().createCluster('/tmp/cluster.yaml', io()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toBe('eksctl is not installed (or not on PATH).');
    expect((error as EnvironmentError).nextStep).toContain('https://eksctl.io/installation/');
  });

  it('Given eksctl started a child process, when Ctrl-C aborts, then the whole process tree is killed', async () => {
    const pidFile = join(bin, 'child.pid');
    await tool('eksctl', `sleep 300 & echo $! > ${pidFile}; echo started; wait`);
    const controller = new AbortController();
    const running = createEksctlTooling().createCluster('/tmp/cluster.yaml', { ...io(controller.signal), log: (line) => (logs.push(line), line === 'started' && controller.abort()) });
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(logs).toContain('eksctl was stopped; CloudFormation may still be creating resources.');
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    // Gone, or a zombie waiting for init to reap it; either way no longer running.
    const stat = existsSync(`/proc/${childPid}/stat`) ? readFileSync(`/proc/${childPid}/stat`, 'utf8') : '';
    expect(stat === '' || / Z /.test(stat)).toBe(true);
  });
});

describe('the lesson ClusterConfig template', () => {
  it('Given the lesson template, when planned for us-west-2, then it is the v2 workshop cluster with the variables filled in', async () => {
    const template = await readFile(new URL('../../../lessons/01-cluster/eks/cluster.yaml', import.meta.url), 'utf8');
    const plan = planEksCluster(template, { name: 'eks-workshop', region: 'us-west-2' });
    expect(plan).toMatchObject({ name: 'eks-workshop', region: 'us-west-2', version: '1.33', nodegroup: 'default', instanceType: 'm5.large', nodes: 3 });
    expect(plan.config).toContain('authenticationMode: API');
    expect(plan.config).toContain('version: "1.33"');
  });

  it('Given a template with a variable kubelab does not set, when rendered, then it is a UsageError naming it', () => {
    expect(() => renderTemplate('name: ${CLUSTER_NAME}-${TEAM}', { CLUSTER_NAME: 'x' })).toThrow(UsageError);
    expect(() => renderTemplate('name: ${TEAM}', {})).toThrow('The EKS ClusterConfig uses ${TEAM}, which kubelab does not set.');
  });
});
