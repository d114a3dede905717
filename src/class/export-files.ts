/**
 * `kubelab class export`: the session's record as files, read from the class's SQLite file.
 * It works while `class serve` runs (SQLite lets a second reader in) and after it stopped.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../engine/running/atomic.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { buildSessionRecord, sessionCsvFiles, type SessionRecord } from './export.js';
import { ClassStore, classDatabasePath } from './store.js';

export interface ExportClassOptions {
  name: string;
  outputDir: string;
  env: NodeJS.ProcessEnv;
  now?: number;
}

export async function exportClass(options: ExportClassOptions): Promise<{ files: string[]; record: SessionRecord }> {
  const file = classDatabasePath(options.name, options.env);
  if (!existsSync(file)) {
    throw new UsageError(`There is no class named "${options.name}" on this machine (${file}).`, 'Use the --name given to kubelab class serve.');
  }
  let store: ClassStore;
  try {
    store = ClassStore.open(file, options.name);
  } catch (error) {
    throw new EnvironmentError(`Cannot open the class database ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let record: SessionRecord;
  try {
    record = buildSessionRecord(store.name, store.logs(), { now: options.now ?? Date.now(), openedAt: store.createdAt() });
  } finally {
    store.close();
  }
  await mkdir(options.outputDir, { recursive: true });
  const written: string[] = [];
  // The record names learners: readable by this user only, like the class database.
  const write = async (name: string, content: string) => {
    const path = join(options.outputDir, `${options.name}-${name}`);
    await writeFileAtomic(path, content, 0o600);
    written.push(path);
  };
  await write('record.json', `${JSON.stringify(record, null, 2)}\n`);
  for (const [name, content] of Object.entries(sessionCsvFiles(record))) await write(name, content);
  return { files: written, record };
}
