import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { cacheDir } from '../paths.js';
import { controlPlaneStatus, formatMinutes, CONTROL_PLANE_VERSION } from '../providers/control-plane-build.js';
import { findOnPath } from '../engine/running/tools.js';

/**
 * `kubelab doctor`: what this machine has for kubelab, what is missing and the command that fixes
 * each. Every check reads only the PATH and environment it is given (tests pass a folder of stub
 * executables), runs at most a version command, and never changes anything.
 */

/** "needed": the local provider and the workshop cannot work without it (exit 3 when missing). */
export type Need = 'needed' | 'optional';
export type CheckState = 'ok' | 'missing' | 'too-old' | 'building';

export interface DoctorCheck {
  id: 'node' | 'kubectl' | 'go' | 'control-plane' | 'openssl' | 'tmux' | 'python3' | 'moto' | 'docker' | 'kind' | 'eksctl' | 'aws' | 'aws-credentials';
  label: string;
  need: Need;
  state: CheckState;
  /** What was found: a version, a folder. */
  found?: string;
  /** Why kubelab wants it. */
  usedFor: string;
  /** The command (or page) that fixes it; only when state is not ok. */
  fix?: string;
}

export interface DoctorReport {
  /** Everything the local provider and the workshop need is there. */
  ready: boolean;
  checks: DoctorCheck[];
}

export interface DoctorOptions {
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** The running Node's version (process.versions.node); injected so tests can say "too old". */
  nodeVersion?: string;
  cores?: number;
}

/** First line of a version command's output, or undefined when it fails or hangs. */
async function versionOutput(file: string, args: string[], env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<string | undefined> {
  const result = await execa(file, args, { env, cancelSignal: signal, reject: false, timeout: 10_000, all: true, stdin: 'ignore' });
  if (result.isCanceled) throw signal.reason ?? new Error('aborted');
  if (result.exitCode !== 0) return undefined;
  return String(result.all ?? '').trim() || undefined;
}

/** "1.24.3" out of any text holding a dotted version ("go version go1.24.3 linux/amd64"). */
export function parseVersion(text: string): [number, number, number] | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function atLeast(version: [number, number, number] | undefined, minimum: [number, number, number]): boolean {
  if (!version) return false;
  for (let i = 0; i < 3; i++) if (version[i] !== minimum[i]) return version[i] > minimum[i];
  return true;
}

interface ToolSpec {
  id: DoctorCheck['id'];
  label: string;
  command: string;
  args: string[];
  need: Need;
  usedFor: string;
  minimum?: [number, number, number];
  /** Picks the version text out of the output (kubectl prints JSON). */
  version?: (output: string) => string | undefined;
  fix: string;
}

const TOOLS: ToolSpec[] = [
  {
    id: 'kubectl',
    label: 'kubectl',
    command: 'kubectl',
    args: ['version', '--client', '-o', 'json'],
    need: 'needed',
    usedFor: 'the lessons’ commands, and waiting for the local cluster’s nodes',
    version: (out) => {
      try {
        return (JSON.parse(out) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion;
      } catch {
        return out.split('\n')[0];
      }
    },
    fix: 'install kubectl: https://kubernetes.io/docs/tasks/tools/ (e.g. `brew install kubectl`, or the pkgs.k8s.io apt repository)',
  },
  {
    id: 'openssl',
    label: 'openssl',
    command: 'openssl',
    args: ['version'],
    need: 'needed',
    usedFor: 'lesson 3 (RBAC): a user’s key and certificate request',
    fix: 'install OpenSSL: `sudo apt-get install openssl` or `brew install openssl`',
  },
  {
    id: 'tmux',
    label: 'tmux',
    command: 'tmux',
    args: ['-V'],
    need: 'optional',
    usedFor: 'the end-to-end tests of the app (npm test)',
    fix: 'install tmux: `sudo apt-get install tmux` or `brew install tmux`',
  },
  {
    id: 'python3',
    label: 'python3',
    command: 'python3',
    args: ['--version'],
    need: 'optional',
    usedFor: 'the moto AWS emulator behind the EKS tests (npm test)',
    minimum: [3, 9, 0],
    fix: 'install Python 3.9 or newer with venv: `sudo apt-get install python3 python3-venv` or `brew install python`',
  },
];

/**
 * What the other providers need: optional, since the default local cluster needs none of them, but
 * a learner picking kind or EKS must hear what is missing before the first lesson fails.
 */
const PROVIDER_TOOL_SPECS: ToolSpec[] = [
  { id: 'docker', label: 'docker', command: 'docker', args: ['version', '--format', '{{.Client.Version}}'], need: 'optional', usedFor: 'the kind provider: each node is a Docker container', fix: 'install Docker: https://docs.docker.com/engine/install/ (and start it)' },
  { id: 'kind', label: 'kind', command: 'kind', args: ['version'], need: 'optional', usedFor: 'the kind provider (--provider kind)', fix: 'install kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (e.g. `go install sigs.k8s.io/kind@latest`)' },
  { id: 'eksctl', label: 'eksctl', command: 'eksctl', args: ['version'], need: 'optional', usedFor: 'the eks provider: creates the cluster and its node group', fix: 'install eksctl: https://eksctl.io/installation/' },
  { id: 'aws', label: 'aws', command: 'aws', args: ['--version'], need: 'optional', usedFor: 'the eks provider: kubeconfig, IAM (lesson 3) and the clusters’ state', fix: 'install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html' },
];

/**
 * Whether AWS credentials are configured: environment keys, a profile, SSO or a credentials file.
 * Only their presence is reported: no value is ever read into the report.
 */
export function checkAwsCredentials(env: NodeJS.ProcessEnv): DoctorCheck {
  const base = { id: 'aws-credentials' as const, label: 'AWS credentials', need: 'optional' as const, usedFor: 'the eks provider: every AWS call is made as this identity' };
  const home = env.HOME ?? homedir();
  const files = [env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'), env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config')];
  const where = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment'
    : env.AWS_PROFILE
      ? `profile ${env.AWS_PROFILE} (AWS_PROFILE)`
      : files.find((f) => existsSync(f));
  return where
    ? { ...base, state: 'ok', found: `${where} (not checked against AWS: \`aws sts get-caller-identity\` does)` }
    : { ...base, state: 'missing', fix: 'configure them: `aws configure` (access keys) or `aws configure sso`, then check with `aws sts get-caller-identity`' };
}

async function checkTool(spec: ToolSpec, options: DoctorOptions): Promise<DoctorCheck> {
  const base = { id: spec.id, label: spec.label, need: spec.need, usedFor: spec.usedFor };
  const file = findOnPath(spec.command, options.env);
  if (!file) return { ...base, state: 'missing', fix: spec.fix };
  const output = await versionOutput(file, spec.args, options.env, options.signal);
  const found = output === undefined ? `${file} (its version command failed)` : (spec.version?.(output) ?? output.split('\n')[0]);
  if (spec.minimum && !atLeast(parseVersion(found), spec.minimum)) {
    return { ...base, state: 'too-old', found, fix: spec.fix };
  }
  return { ...base, state: 'ok', found };
}

function checkNode(options: DoctorOptions): DoctorCheck {
  const version = options.nodeVersion ?? process.versions.node;
  const base = { id: 'node' as const, label: 'Node.js', need: 'needed' as const, usedFor: 'kubelab itself', found: `v${version}` };
  return atLeast(parseVersion(version), [20, 19, 0])
    ? { ...base, state: 'ok' }
    : { ...base, state: 'too-old', fix: 'install Node.js 20.19 or newer: https://nodejs.org/en/download (or `nvm install 20`)' };
}

/**
 * Go is needed only to build the control plane: with the binaries already in the cache, a missing
 * Go is fine (it is needed again for the next Kubernetes version).
 */
async function checkGoAndControlPlane(options: DoctorOptions): Promise<DoctorCheck[]> {
  const plane = controlPlaneStatus(options.env, options.cores);
  const built = plane.state === 'built';
  const go = await checkTool(
    {
      id: 'go',
      label: 'Go',
      command: 'go',
      args: ['version'],
      need: built ? 'optional' : 'needed',
      usedFor: built
        ? plane.source === 'package'
          ? 'nothing: the prebuilt control plane is in use (Go only builds it from source)'
          : 'rebuilding the local control plane (it is built already)'
        : 'building the local control plane once',
      minimum: [1, 24, 0],
      version: (out) => /go\d+\.\d+(\.\d+)?/.exec(out)?.[0] ?? out,
      fix: 'install Go 1.24 or newer: https://go.dev/doc/install',
    },
    options,
  );
  const base = { id: 'control-plane' as const, label: `local control plane ${CONTROL_PLANE_VERSION}`, need: 'needed' as const, usedFor: 'the default, offline local cluster (kube-apiserver, controller-manager, scheduler, etcd, kwok)' };
  let plan: DoctorCheck;
  const prebuilt = plane.platformPackage;
  // Why the prebuilt package is not in use, when it is not: absent before a release, or refused.
  const whyNotPrebuilt = prebuilt && prebuilt.state !== 'verified' ? `; prebuilt package not used: ${prebuilt.reason}` : '';
  if (built && plane.source === 'package' && prebuilt?.state === 'verified') {
    plan = { ...base, state: 'ok', found: `prebuilt ${prebuilt.name}@${prebuilt.version}, checksums verified (${plane.binDir})` };
  } else if (built) {
    const how = plane.source === 'env' ? 'KUBELAB_BIN_DIR' : `built from source${plane.builtInSeconds ? `, cold build took ${plane.builtInSeconds} s` : ''}${whyNotPrebuilt}`;
    plan = { ...base, state: 'ok', found: `${plane.binDir} (${how})` };
  } else if (plane.state === 'building') {
    plan = { ...base, state: 'building', found: `being built now (pid ${plane.buildPid}) into ${plane.binDir}`, fix: 'wait for it: `kubelab cluster up` waits and then starts the cluster' };
  } else {
    plan = {
      ...base,
      state: 'missing',
      found: `not in ${plane.binDir} (missing: ${plane.missing.join(', ')}${whyNotPrebuilt})`,
      fix: `npm run build:cluster  (once, ${formatMinutes(plane.estimateSeconds)} here; \`kubelab cluster up\` also builds it first)`,
    };
  }
  return [go, plan];
}

async function checkMoto(options: DoctorOptions): Promise<DoctorCheck> {
  const venv = join(cacheDir(options.env), 'moto-venv');
  const base = { id: 'moto' as const, label: 'moto (AWS emulator venv)', need: 'optional' as const, usedFor: 'the EKS integration tests (npm test)' };
  return existsSync(join(venv, 'bin', 'moto_server'))
    ? { ...base, state: 'ok', found: venv }
    : { ...base, state: 'missing', fix: 'bash scripts/setup-moto.sh  (needs python3)' };
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const [tools, goAndPlane, moto] = await Promise.all([
    Promise.all([...TOOLS, ...PROVIDER_TOOL_SPECS].map((spec) => checkTool(spec, options))),
    checkGoAndControlPlane(options),
    checkMoto(options),
  ]);
  const byId = new Map([...tools, ...goAndPlane, moto, checkAwsCredentials(options.env)].map((c) => [c.id, c]));
  const order: DoctorCheck['id'][] = ['kubectl', 'go', 'control-plane', 'openssl', 'docker', 'kind', 'eksctl', 'aws', 'aws-credentials', 'tmux', 'python3', 'moto'];
  const checks = [checkNode(options), ...order.map((id) => byId.get(id)!)];
  // The control plane being built is not ready yet, but Go is then evidently there.
  const ready = checks.every((c) => c.need === 'optional' || c.state === 'ok');
  return { ready, checks };
}

/** The report for a person: one line per check, then what to run for each problem. */
export function formatDoctorReport(report: DoctorReport): string {
  const mark = (c: DoctorCheck) => (c.state === 'ok' ? '✔' : c.state === 'building' ? '…' : c.need === 'needed' ? '✘' : '–');
  const lines = report.checks.map((c) => {
    const what = c.state === 'ok' ? c.found : c.state === 'too-old' ? `too old: ${c.found}` : c.state === 'building' ? c.found : `missing${c.found ? `: ${c.found}` : ''}`;
    return `${mark(c)} ${c.label}: ${what}  (${c.need === 'needed' ? 'needed' : 'optional'}: ${c.usedFor})`;
  });
  const fixes = report.checks.filter((c) => c.fix && c.state !== 'ok');
  if (fixes.length) {
    lines.push('', 'To fix:');
    for (const c of fixes) lines.push(`  ${c.label}: ${c.fix}`);
  }
  lines.push('', report.ready ? 'Ready: everything the local cluster and the workshop need is here.' : 'Not ready: fix the ✘ lines above (optional ones only matter for the test suite).');
  return `${lines.join('\n')}\n`;
}
