import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { componentArgs, componentProcesses, forgetForeignPidFiles, healthTargets, ownPids, recordProcesses, type ClusterFolders } from '../../../src/providers/local-components.js';
import { identify, processStartTicks } from '../../../src/providers/pid-identity.js';
import { slowness } from '../../../src/providers/local.js';
import { running } from '../../support/process.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function cluster(): ClusterFolders {
  const root = mkdtempSync(join(tmpdir(), 'kubelab-components-'));
  const folders = { clusterDir: join(root, 'kwok', 'clusters', 'c1'), bin: join(root, 'cache-bin'), stateDir: join(root, 'state'), kubeconfig: join(root, 'state', 'kubeconfig') };
  for (const dir of [join(folders.clusterDir, 'pids'), join(folders.clusterDir, 'bin'), folders.bin, folders.stateDir]) mkdirSync(dir, { recursive: true });
  return folders;
}

/** Starts a long sleep as the named component: a copy of `sleep` under the cluster's bin/, as kwokctl's binary runtime does. */
function startComponent(folders: ClusterFolders, name: string, seconds: number): number {
  const binary = join(folders.clusterDir, 'bin', name);
  if (!existsSync(binary)) copyFileSync('/bin/sleep', binary);
  const child = spawn(binary, [String(seconds)], { stdio: 'ignore' });
  children.push(child);
  writeFileSync(join(folders.clusterDir, 'pids', `${name}.pid`), String(child.pid));
  return child.pid!;
}

function startStranger(seconds: number): number {
  const child = spawn('sleep', [String(seconds)], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

describe('which process a pid file names (recycled PIDs are never taken for the cluster)', () => {
  it('given a pid file naming an unrelated process, when judged, then it is not the component and the reason names the program', () => {
    const folders = cluster();
    const stranger = startStranger(620);
    const verdict = identify(stranger, { binaries: [join(folders.clusterDir, 'bin', 'kube-apiserver')], pidFileMtimeMs: Date.now() });
    expect(verdict).toEqual({ ours: false, gone: false, why: `pid ${stranger} is now another program (sleep)` });
  });

  it('given the component binary started just before its pid file was written, when judged, then it is the component', () => {
    const folders = cluster();
    const pid = startComponent(folders, 'kube-apiserver', 621);
    expect(identify(pid, { binaries: [join(folders.clusterDir, 'bin', 'kube-apiserver')], pidFileMtimeMs: Date.now() })).toEqual({ ours: true });
  });

  it('given the right binary but another start time than recorded, when judged, then it is a reused PID', () => {
    const folders = cluster();
    const pid = startComponent(folders, 'kube-apiserver', 622);
    const startTicks = processStartTicks(pid)!;
    expect(identify(pid, { binaries: [join(folders.clusterDir, 'bin', 'kube-apiserver')], recorded: { pid, startTicks } })).toEqual({ ours: true });
    expect(identify(pid, { binaries: [join(folders.clusterDir, 'bin', 'kube-apiserver')], recorded: { pid, startTicks: startTicks - 500 } })).toMatchObject({ ours: false, why: expect.stringContaining('reused') });
  });

  it('given nothing recorded and a pid file written an hour before the process started, when judged, then it is not the component', () => {
    const folders = cluster();
    const pid = startComponent(folders, 'kube-scheduler', 623);
    expect(identify(pid, { binaries: [join(folders.clusterDir, 'bin', 'kube-scheduler')], pidFileMtimeMs: Date.now() - 3_600_000 })).toMatchObject({ ours: false, why: expect.stringContaining('another time') });
  });

  it('given a component of another cluster from the same cache, when judged, then it is not this cluster’s', () => {
    const mine = cluster();
    const theirs = cluster();
    const pid = startComponent(theirs, 'etcd', 624);
    expect(identify(pid, { binaries: [join(mine.clusterDir, 'bin', 'etcd'), join(mine.bin, 'etcd')], pidFileMtimeMs: Date.now() })).toMatchObject({ ours: false });
  });

  it('given pid files naming the real component, a stranger and a dead process, when foreign ones are forgotten, then only the real one is kept and nobody is signalled', async () => {
    const folders = cluster();
    const real = startComponent(folders, 'etcd', 625);
    const stranger = startStranger(626);
    writeFileSync(join(folders.clusterDir, 'pids', 'kube-apiserver.pid'), String(stranger));
    writeFileSync(join(folders.clusterDir, 'pids', 'kube-scheduler.pid'), '4194000');
    await recordProcesses(folders);

    expect(ownPids(folders)).toEqual([real]);
    const states = Object.fromEntries(componentProcesses(folders).map((c) => [c.name, c.verdict.ours ? 'ours' : c.verdict.why]));
    expect(states).toMatchObject({ etcd: 'ours', 'kube-apiserver': expect.stringContaining('another program'), 'kube-scheduler': 'process 4194000 is gone', 'kwok-controller': 'not started' });

    expect(forgetForeignPidFiles(folders)).toEqual([`kube-apiserver: pid ${stranger} is now another program (sleep); left it alone`]);
    expect(existsSync(join(folders.clusterDir, 'pids', 'kube-apiserver.pid'))).toBe(false);
    expect(existsSync(join(folders.clusterDir, 'pids', 'kube-scheduler.pid'))).toBe(false);
    expect(existsSync(join(folders.clusterDir, 'pids', 'etcd.pid'))).toBe(true);
    expect(running(stranger)).toBe(true);
    expect(running(real)).toBe(true);
  });

  it('given a pid file touched long after the process started and a start time recorded by kubelab, when judged, then the record wins', async () => {
    const folders = cluster();
    const pid = startComponent(folders, 'kwok-controller', 627);
    await recordProcesses(folders);
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(folders.clusterDir, 'pids', 'kwok-controller.pid'), old, old);
    expect(ownPids(folders)).toEqual([pid]);
  });
});

describe('health endpoints of a local cluster, from kwokctl’s kwok.yaml', () => {
  it('given kwokctl’s configuration with patched arguments, when read, then each component’s health URL uses the last value of each flag', () => {
    const folders = cluster();
    writeFileSync(join(folders.clusterDir, 'kwok.yaml'), [
      'kind: KwokctlConfiguration',
      'apiVersion: config.kwok.x-k8s.io/v1alpha1',
      'components:',
      '- name: etcd',
      '  args: ["--listen-client-urls=http://0.0.0.0:2379", "--listen-client-urls=http://127.0.0.1:32001"]',
      '- name: kube-controller-manager',
      '  args: ["--bind-address=0.0.0.0", "--secure-port=32002", "--bind-address=127.0.0.1"]',
      '- name: kube-scheduler',
      '  args: ["--secure-port", "32003"]',
      '- name: kwok-controller',
      '  args: ["--server-address=0.0.0.0:10247", "--server-address=127.0.0.1:32004"]',
      '---',
      'kind: Stage',
      'apiVersion: kwok.x-k8s.io/v1alpha1',
      '',
    ].join('\n'));
    expect(componentArgs(folders)['kube-controller-manager']?.get('bind-address')).toBe('127.0.0.1');
    expect(healthTargets(folders, 'kwok-c1')).toEqual({
      'kube-apiserver': { kind: 'kubeconfig', kubeconfig: folders.kubeconfig, context: 'kwok-c1', path: '/readyz' },
      etcd: { kind: 'url', url: 'http://127.0.0.1:32001/health' },
      'kube-controller-manager': { kind: 'url', url: 'https://127.0.0.1:32002/healthz', insecure: true },
      'kube-scheduler': { kind: 'url', url: 'https://127.0.0.1:32003/healthz', insecure: true },
      'kwok-controller': { kind: 'url', url: 'http://127.0.0.1:32004/healthz' },
    });
  });

  it('given an idle machine and one loaded four times over, when the start-up deadline scales, then it is 1× and capped at 5×', () => {
    expect(slowness(0.5, 2)).toBe(1);
    expect(slowness(4, 2)).toBe(2);
    expect(slowness(80, 2)).toBe(5);
  });
});
