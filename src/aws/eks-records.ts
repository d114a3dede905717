import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stateDir } from '../paths.js';
import { estimateHourlyCost, formatUsd } from './prices.js';

/**
 * The EKS clusters kubelab created and has not yet seen deleted. Kept so the home screen, `cluster
 * status` and quitting can remind the learner of a cluster that is still billing. Small and
 * dependency-free: the home screen reads it at start-up.
 */
export interface EksClusterRecord {
  name: string;
  region: string;
  /** ISO time the creation started (billing starts soon after). */
  createdAt: string;
  instanceType: string;
  nodes: number;
}

export interface RunningEksCluster extends EksClusterRecord {
  ageMs: number;
  hourlyUsd: number;
  costSoFarUsd: number;
}

interface RecordFile {
  clusters: EksClusterRecord[];
}

export function eksRecordsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'eks-clusters.json');
}

export async function readEksRecords(env: NodeJS.ProcessEnv = process.env): Promise<EksClusterRecord[]> {
  let text: string;
  try {
    text = await readFile(eksRecordsFile(env), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<RecordFile>;
    return Array.isArray(parsed.clusters) ? parsed.clusters.filter(isRecord) : [];
  } catch {
    // A damaged file must not hide the reminder forever, nor crash the home screen.
    return [];
  }
}

function isRecord(value: unknown): value is EksClusterRecord {
  const r = value as EksClusterRecord;
  return typeof r?.name === 'string' && typeof r.region === 'string' && typeof r.createdAt === 'string';
}

/** Temp file + rename, so a crash mid-write leaves the old list rather than half a file. */
async function writeEksRecords(records: EksClusterRecord[], env: NodeJS.ProcessEnv): Promise<void> {
  const file = eksRecordsFile(env);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify({ clusters: records } satisfies RecordFile, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

const sameCluster = (a: { name: string; region: string }, b: { name: string; region: string }) =>
  a.name === b.name && a.region === b.region;

/** Adds or replaces the record for this name and region. */
export async function recordEksCluster(record: EksClusterRecord, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const records = (await readEksRecords(env)).filter((r) => !sameCluster(r, record));
  await writeEksRecords([...records, record], env);
}

export async function forgetEksCluster(cluster: { name: string; region: string }, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const records = await readEksRecords(env);
  const kept = records.filter((r) => !sameCluster(r, cluster));
  if (kept.length !== records.length) await writeEksRecords(kept, env);
}

/** kubelab-created EKS clusters with their age and what they have cost so far (an estimate). */
export async function listKubelabEksClusters(
  options: { env?: NodeJS.ProcessEnv; now?: Date } = {},
): Promise<RunningEksCluster[]> {
  const now = (options.now ?? new Date()).getTime();
  const records = await readEksRecords(options.env ?? process.env);
  return records.map((record) => {
    const ageMs = Math.max(0, now - Date.parse(record.createdAt) || 0);
    const { hourlyUsd } = estimateHourlyCost({ region: record.region, instanceType: record.instanceType, nodes: record.nodes });
    return { ...record, ageMs, hourlyUsd, costSoFarUsd: (hourlyUsd * ageMs) / 3_600_000 };
  });
}

/** "2 h 10 min", "45 min", "3 d 4 h". */
export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** One line for the home screen, `cluster status` and the goodbye message. */
export function formatEksClusterReminder(cluster: RunningEksCluster, defaultName = 'eks-workshop'): string {
  const nameFlag = cluster.name === defaultName ? '' : ` --name ${cluster.name}`;
  return (
    `EKS cluster ${cluster.name} (${cluster.region}) running ${formatAge(cluster.ageMs)}, ` +
    `about ${formatUsd(cluster.costSoFarUsd)} so far — delete it with: kubelab cluster down --provider eks${nameFlag}`
  );
}
