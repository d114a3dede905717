/**
 * `kubelab bundle` (and the app's bundle key): one archive an instructor or a maintainer can read
 * to see what went wrong — versions, doctor, the workshop and progress, the last step's commands,
 * output and check results, the cluster's status and the last lines of each component's log.
 * Everything in it passes one redactor, the one a session on this cluster would use.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ClusterConnection } from '../engine/connection.js';
import type { ClusterKey, Progress } from '../engine/running/progress.js';
import { Redactor } from '../engine/running/redact.js';
import { tarGz, type TarEntry } from '../engine/running/tar.js';
import type { Workshop } from '../engine/types.js';
import { stateDir } from '../paths.js';
import { getProvider } from '../providers/index.js';
import { KUBELAB_VERSION } from '../version.js';
import { formatDoctorReport, runDoctor } from './doctor.js';
import { readLastStep, type LastStepRecord } from './last-step.js';

/** Lines kept from the end of each component's log. */
export const LOG_LINES = 200;
/** How long the cluster may take to say how it is, so a bundle of a dead cluster still comes. */
const STATUS_TIMEOUT_MS = 20_000;

export interface BundleInput {
  workshop: Workshop;
  progress: Progress;
  key: ClusterKey;
  /** The cluster's connection when there is one (its kubeconfig's credentials are redacted by value). */
  connection?: ClusterConnection;
  /** The app hands its own; from the CLI, what the app last recorded. */
  lastStep?: LastStepRecord;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

/** The redactor a session on this cluster would have: kubeconfig, workspace, environment. */
export function bundleRedactor(input: Pick<BundleInput, 'workshop' | 'connection' | 'env'>): Redactor {
  return Redactor.from({
    env: input.env,
    kubeconfigs: input.connection ? [input.connection.kubeconfig] : [],
    workspaces: [join(stateDir(input.env), 'workspace', input.workshop.id)],
  });
}

async function tailOf(file: string, lines: number): Promise<string> {
  const text = await readFile(file, 'utf8').catch((error: Error) => `(could not read ${file}: ${error.message})`);
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The last lines of each local component's log; other providers keep theirs elsewhere. */
async function componentLogs(key: ClusterKey, env: NodeJS.ProcessEnv): Promise<TarEntry[]> {
  if (key.provider !== 'local') return [{ name: 'logs/README.txt', content: `The ${key.provider} provider's component logs are not on this machine (kind: docker logs; EKS: CloudWatch).\n` }];
  const { localPaths } = await import('../providers/local.js');
  const dir = join(localPaths(key.name, env).clusterDir, 'logs');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.log')).sort();
  if (!names.length) return [{ name: 'logs/README.txt', content: `No component logs in ${dir}: the cluster "${key.name}" was never started here, or was deleted.\n` }];
  return Promise.all(names.map(async (n) => ({ name: `logs/${n}`, content: `${await tailOf(join(dir, n), LOG_LINES)}\n` })));
}

async function clusterStatusText(key: ClusterKey, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<string> {
  try {
    const provider = await getProvider(key.provider);
    const status = await provider.status({ name: key.name }, { signal: AbortSignal.any([signal, AbortSignal.timeout(STATUS_TIMEOUT_MS)]), log: () => undefined, env });
    return `${JSON.stringify(status, null, 2)}\n`;
  } catch (error) {
    return `kubelab cluster status --provider ${key.provider} --name ${key.name} failed: ${(error as Error).message}\n`;
  }
}

function lastStepText(record: LastStepRecord | undefined): string {
  if (!record) return 'No step was run in the app yet (the app records the last step it ran).\n';
  const lines = [`${record.lessonId}/${record.stepId}: ${record.title}`, `status: ${record.status}${record.message ? ` — ${record.message}` : ''}`, `at: ${record.at}`, ''];
  for (const block of record.blocks) lines.push(`$ ${block.code}`, ...block.output.map((l) => `  ${l}`), '');
  lines.push('checks:');
  for (const c of record.checks) {
    lines.push(`  ${c.status} ${c.id}${c.durationMs !== undefined ? ` (${c.durationMs} ms)` : ''}: ${c.message}`);
    if (c.expected !== undefined) lines.push(`    expected: ${c.expected}`, `    actual:   ${c.actual ?? ''}`);
    if (c.hint) lines.push(`    hint: ${c.hint}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The bundle's files, every one redacted. */
export async function bundleEntries(input: BundleInput): Promise<TarEntry[]> {
  const redactor = bundleRedactor(input);
  const [doctor, status, logs, recorded] = await Promise.all([
    runDoctor({ env: input.env, signal: input.signal }).then(formatDoctorReport, (error: Error) => `doctor failed: ${error.message}\n`),
    clusterStatusText(input.key, input.env, input.signal),
    componentLogs(input.key, input.env),
    input.lastStep ? Promise.resolve(input.lastStep) : readLastStep(input.workshop.id, input.env),
  ]);
  const versions = [`kubelab ${KUBELAB_VERSION}`, `node ${process.versions.node}`, `platform ${process.platform} ${process.arch}`, `cluster ${input.key.provider} "${input.key.name}"`].join('\n');
  const workshop = {
    id: input.workshop.id,
    title: input.workshop.title,
    dir: input.workshop.dir,
    format: input.workshop.format ?? 'kubelab',
    providers: input.workshop.providers,
    lessons: input.workshop.lessons.map((l) => ({ id: l.id, title: l.title, providers: l.providers, steps: l.steps.map((s) => s.id) })),
  };
  const entries: TarEntry[] = [
    { name: 'README.txt', content: 'A kubelab support bundle. Secrets kubelab knows or recognises are replaced by [REDACTED].\n' },
    { name: 'versions.txt', content: `${versions}\n` },
    { name: 'doctor.txt', content: doctor },
    { name: 'workshop.json', content: `${JSON.stringify(workshop, null, 2)}\n` },
    { name: 'progress.json', content: `${JSON.stringify(input.progress, null, 2)}\n` },
    { name: 'last-step.txt', content: lastStepText(recorded) },
    { name: 'cluster-status.json', content: status },
    ...logs,
  ];
  return entries.map((e) => ({ name: `kubelab-bundle/${e.name}`, content: redactor.text(e.content.toString()) }));
}

/** Writes the bundle; returns its path. */
export async function writeBundle(input: BundleInput, output: string | undefined, cwd: string): Promise<string> {
  const file = resolve(cwd, output ?? `kubelab-bundle-${new Date().toISOString().replace(/[:.]/g, '-')}.tar.gz`);
  await writeFile(file, tarGz(await bundleEntries(input)), { mode: 0o600 });
  return file;
}
