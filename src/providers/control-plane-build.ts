import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError, InterruptedError } from '../errors.js';

import { CONTROL_PLANE_BINARIES, CONTROL_PLANE_VERSION } from './control-plane-version.js';
import { resolveControlPlane, type ControlPlaneSource } from './platform-package.js';

export { CONTROL_PLANE_BINARIES, CONTROL_PLANE_VERSION };

/** The main package of each binary: its compile is the last step before that binary's link. */
const MAIN_PACKAGES: Record<string, string> = {
  'k8s.io/kubernetes/cmd/kube-apiserver': 'kube-apiserver',
  'k8s.io/kubernetes/cmd/kube-controller-manager': 'kube-controller-manager',
  'k8s.io/kubernetes/cmd/kube-scheduler': 'kube-scheduler',
  'go.etcd.io/etcd/server/v3': 'etcd',
  'sigs.k8s.io/kwok/cmd/kwok': 'kwok',
  'sigs.k8s.io/kwok/cmd/kwokctl': 'kwokctl',
};

/**
 * The estimate before the build itself has shown its pace: this build measured on a quiet 2-core
 * machine with an empty Go build cache (503 s, see the README's numbers). After a tenth of the
 * packages the build's real pace takes over.
 */
export const REFERENCE_COLD_BUILD = { seconds: 500, cores: 2, packages: 2703 } as const;
/** Linking the six binaries after the last package compiles, on the reference machine. */
const REFERENCE_LINK_SECONDS = 40;

/** One line of the build script's --json output, as kubelab understands it. */
export type BuildLine =
  | { kind: 'phase'; phase: 'waiting' | 'resolve' | 'compile' }
  | { kind: 'plan'; total: number; all: number; cores: number }
  | { kind: 'compiled'; importPath: string }
  | { kind: 'output'; importPath: string; text: string }
  | { kind: 'failed'; importPath: string }
  | { kind: 'binary'; binary: string; seconds: number }
  | { kind: 'done'; dir: string; seconds: number };

/**
 * Reads one stdout line of `build-control-plane.sh --json`: go's own BuildEvents
 * (`go build -json -v` prints one "build-output" event per package as it compiles it, whose Output
 * is exactly the import path) and the script's kubelab-* events. Anything else is not ours.
 */
export function parseBuildLine(line: string): BuildLine | undefined {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof event !== 'object' || event === null) return undefined;
  const num = (key: string) => (typeof event[key] === 'number' ? (event[key] as number) : 0);
  const str = (key: string) => (typeof event[key] === 'string' ? (event[key] as string) : '');
  switch (event.Action) {
    case 'build-output': {
      const importPath = str('ImportPath');
      const text = str('Output');
      return text === `${importPath}\n` ? { kind: 'compiled', importPath } : { kind: 'output', importPath, text };
    }
    case 'build-fail':
      return { kind: 'failed', importPath: str('ImportPath') };
    case 'kubelab-phase':
      return { kind: 'phase', phase: str('Phase') === 'resolve' ? 'resolve' : str('Phase') === 'waiting' ? 'waiting' : 'compile' };
    case 'kubelab-plan':
      return { kind: 'plan', total: num('Total'), all: num('All'), cores: num('Cores') };
    case 'kubelab-binary':
      return { kind: 'binary', binary: str('Binary'), seconds: num('Seconds') };
    case 'kubelab-done':
      return { kind: 'done', dir: str('Dir'), seconds: num('Seconds') };
    default:
      return undefined;
  }
}

/** "waiting": another process is building the same cache; this one waits for it. */
export type BuildPhase = 'starting' | 'waiting' | 'resolve' | 'compile' | 'link' | 'done';

/** Where a build stands: what the app and the headless commands show. */
export interface BuildProgress {
  phase: BuildPhase;
  /** Packages compiled so far in this run. */
  compiled: number;
  /** Packages this run has to compile (those not already in the Go build cache); 0 until known. */
  total: number;
  /** Binaries whose main package is compiled: they are being linked or are done. */
  linking: string[];
  /** Binaries written to the cache, in the order they landed. */
  built: string[];
  /** The package compiled last (shows that something is moving). */
  lastPackage?: string;
  /** Compiler output (errors) seen so far, to explain a failure. */
  output: string[];
}

export const initialBuildProgress: BuildProgress = { phase: 'starting', compiled: 0, total: 0, linking: [], built: [], output: [] };

/** The progress after one more line: a pure reducer, so the parser and the UI are testable without go. */
export function advanceBuild(progress: BuildProgress, line: BuildLine): BuildProgress {
  switch (line.kind) {
    case 'phase':
      return { ...progress, phase: line.phase };
    case 'plan':
      return { ...progress, phase: 'compile', total: line.total };
    case 'compiled': {
      const binary = MAIN_PACKAGES[line.importPath];
      const linking = binary && !progress.linking.includes(binary) ? [...progress.linking, binary] : progress.linking;
      const compiled = progress.compiled + 1;
      const phase = progress.total > 0 && compiled >= progress.total ? 'link' : progress.phase;
      return { ...progress, compiled, linking, lastPackage: line.importPath, phase };
    }
    case 'output':
      return { ...progress, output: [...progress.output, line.text].slice(-40) };
    case 'failed':
      return progress;
    case 'binary':
      return progress.built.includes(line.binary) ? progress : { ...progress, built: [...progress.built, line.binary] };
    case 'done':
      return { ...progress, phase: 'done', built: [...CONTROL_PLANE_BINARIES] };
  }
}

/** Whole percent of the packages compiled (links take the last stretch, shown as 99 until done). */
export function buildPercent(progress: BuildProgress): number {
  if (progress.phase === 'done') return 100;
  if (progress.total <= 0) return 0;
  return Math.min(99, Math.floor((progress.compiled * 100) / progress.total));
}

/**
 * Seconds left. Before a tenth of the packages is done: the reference cold build scaled to this
 * machine's cores and to how much is left to compile. After: the pace this build has actually
 * kept (the machine may be busy), plus the links. Packages differ in size, so this is an estimate.
 */
export function estimateSecondsLeft(progress: BuildProgress, elapsedSeconds: number, cores = availableParallelism()): number {
  if (progress.phase === 'done') return 0;
  const scale = REFERENCE_COLD_BUILD.cores / Math.max(1, Math.min(cores, 8));
  const linkSeconds = REFERENCE_LINK_SECONDS * scale * (1 - progress.built.length / CONTROL_PLANE_BINARIES.length);
  const total = progress.total > 0 ? progress.total : REFERENCE_COLD_BUILD.packages;
  const left = Math.max(0, total - progress.compiled);
  const compileReference = (REFERENCE_COLD_BUILD.seconds - REFERENCE_LINK_SECONDS) * scale * (left / REFERENCE_COLD_BUILD.packages);
  if (progress.compiled < total / 10 || elapsedSeconds < 20) return Math.round(compileReference + linkSeconds);
  const pace = elapsedSeconds / progress.compiled;
  return Math.round(left * pace + linkSeconds);
}

/**
 * One line for a person, what matters first (a status bar cuts the end):
 * "building the local cluster: 44%, about 3 min left (1 of 6 binaries ready; 1204 of 2703 packages compiled, 2m10s elapsed)".
 */
export function formatBuildProgress(progress: BuildProgress, elapsedSeconds: number, cores?: number): string {
  const elapsed = formatDuration(elapsedSeconds);
  if (progress.phase === 'done') return `local cluster built in ${elapsed}`;
  if (progress.phase === 'waiting') return `waiting for another build of the local cluster to finish, ${elapsed} elapsed`;
  const left = `${formatMinutes(estimateSecondsLeft(progress, elapsedSeconds, cores))} left`;
  if (progress.phase === 'starting' || progress.phase === 'resolve') return `building the local cluster: ${left} (resolving Go modules, ${elapsed} elapsed)`;
  const binaries = progress.built.length ? `${progress.built.length} of ${CONTROL_PLANE_BINARIES.length} binaries ready; ` : '';
  const what = progress.phase === 'link' ? `linking ${CONTROL_PLANE_BINARIES.filter((b) => !progress.built.includes(b)).join(', ')}` : `${progress.compiled} of ${progress.total} packages compiled`;
  return `building the local cluster: ${buildPercent(progress)}%, ${left} (${binaries}${what}, ${elapsed} elapsed)`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function formatMinutes(seconds: number): string {
  return seconds < 60 ? 'less than a minute' : `about ${Math.ceil(seconds / 60)} min`;
}

/** The folder the control plane binaries live in. */
export function controlPlaneBinDir(env: NodeJS.ProcessEnv): string {
  return resolveControlPlane(env).binDir;
}

export interface ControlPlaneStatus extends ControlPlaneSource {
  state: 'built' | 'building' | 'missing';
  /** Binaries not in binDir yet. */
  missing: string[];
  /** The pid of a build running now (state "building"). */
  buildPid?: number;
  /** Seconds the cold build took when it was built here (from .build-seconds). */
  builtInSeconds?: number;
  /** What a cold build would take on this machine, from the reference build scaled to its cores. */
  estimateSeconds: number;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Built, being built by some process right now, or missing: read from the cache without running anything. */
export function controlPlaneStatus(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): ControlPlaneStatus {
  const source = resolveControlPlane(env);
  const { binDir } = source;
  const missing = CONTROL_PLANE_BINARIES.filter((b) => !existsSync(join(binDir, b)));
  const estimateSeconds = estimateSecondsLeft(initialBuildProgress, 0, cores);
  const readNumber = (file: string) => {
    try {
      const n = Number(readFileSync(file, 'utf8').trim());
      return Number.isFinite(n) && n > 0 ? n : undefined;
    } catch {
      return undefined;
    }
  };
  if (missing.length === 0) return { ...source, state: 'built', missing, estimateSeconds, builtInSeconds: readNumber(join(binDir, '.build-seconds')) };
  const buildPid = readNumber(join(binDir, '..', '.building'));
  if (buildPid && pidAlive(buildPid)) return { ...source, state: 'building', missing, buildPid, estimateSeconds };
  return { ...source, state: 'missing', missing, estimateSeconds };
}

/** scripts/build-control-plane.sh in the kubelab installation (src/ in tests, dist/ when bundled). */
export function buildScriptPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const script = join(dir, 'scripts', 'build-control-plane.sh');
    if (existsSync(script)) return script;
    dir = dirname(dir);
  }
  throw new Error('cannot find scripts/build-control-plane.sh in the kubelab installation');
}

export interface BuildOptions {
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Called on every change (each compiled package, each binary); throttle on the caller's side. */
  onProgress?: (progress: BuildProgress, elapsedSeconds: number) => void;
  /** The script's own stderr lines (module downloads, errors), for a log. */
  onLog?: (line: string) => void;
  /** Another script (tests stand in a fake build). */
  script?: string;
}

/**
 * Builds the control plane into the cache by running scripts/build-control-plane.sh --json and
 * following its events. Aborting kills the build's whole process group (bash, go, compilers, the
 * linker); what was compiled stays in the Go build cache, so the next build resumes from there.
 */
export async function buildControlPlane(options: BuildOptions): Promise<{ binDir: string; seconds: number }> {
  const { signal, env = process.env } = options;
  if (signal.aborted) throw new InterruptedError('The control plane build was stopped before it started.');
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  // Its own process group, so one kill reaches go and every compiler it started.
  const child = spawn('bash', [options.script ?? buildScriptPath(), '--json'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let progress = initialBuildProgress;
  let doneDir: string | undefined;
  const stderrTail: string[] = [];

  const killGroup = (sig: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      // Already gone.
    }
  };
  let forceKill: NodeJS.Timeout | undefined;
  const onAbort = () => {
    killGroup('SIGTERM');
    forceKill = setTimeout(() => killGroup('SIGKILL'), 3000);
  };
  signal.addEventListener('abort', onAbort, { once: true });

  const lines = (stream: NodeJS.ReadableStream, each: (line: string) => void) => {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        each(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
    stream.on('end', () => buffer && each(buffer));
  };
  lines(child.stdout!, (line) => {
    const parsed = parseBuildLine(line);
    if (!parsed) return;
    if (parsed.kind === 'done') doneDir = parsed.dir;
    const next = advanceBuild(progress, parsed);
    if (next !== progress) {
      progress = next;
      options.onProgress?.(progress, elapsed());
    }
  });
  lines(child.stderr!, (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    options.onLog?.(line);
  });

  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  }).finally(() => {
    signal.removeEventListener('abort', onAbort);
    if (forceKill) clearTimeout(forceKill);
  });
  if (signal.aborted) throw new InterruptedError('The control plane build was stopped; the next start resumes it from the Go build cache.');
  if (exitCode === 3) throw new EnvironmentError('Go is not installed, so the local control plane cannot be built.', 'Install Go 1.24 or newer (https://go.dev/doc/install), then run: kubelab doctor');
  if (exitCode !== 0 || !doneDir) {
    const why = [...progress.output.slice(-5), ...stderrTail.slice(-5)].join('\n').trim();
    throw new EnvironmentError(`Building the local control plane failed (exit ${exitCode}).${why ? `\n${why}` : ''}`, 'Run it by hand to see everything: npm run build:cluster');
  }
  return { binDir: doneDir, seconds: elapsed() };
}

/**
 * A progress reporter for headless commands: a line per binary as it lands and one each time the
 * percentage moves by five or half a minute passes, so a long build is never a silent wait.
 */
export function createBuildReporter(write: (line: string) => void, now: () => number = () => performance.now()): (progress: BuildProgress, elapsedSeconds: number) => void {
  let lastPercent = -5;
  let lastAt = -Infinity;
  let lastBuilt = 0;
  let lastPhase: BuildPhase | undefined;
  return (progress, elapsedSeconds) => {
    const percent = buildPercent(progress);
    const t = now();
    for (const binary of progress.built.slice(lastBuilt)) write(`${binary} is built (${progress.built.indexOf(binary) + 1} of ${CONTROL_PLANE_BINARIES.length}), ${formatDuration(elapsedSeconds)} elapsed`);
    lastBuilt = progress.built.length;
    if (percent >= lastPercent + 5 || t - lastAt >= 30_000 || progress.phase !== lastPhase) {
      write(formatBuildProgress(progress, elapsedSeconds));
      lastPercent = percent;
      lastAt = t;
      lastPhase = progress.phase;
    }
  };
}
