import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadWorkshop } from '../../src/engine/loading/sources.js';
import type { ClusterConnection } from '../../src/engine/connection.js';
import { initWorkshop } from '../../src/services/scaffold.js';
import { debounce, lessonsTouched, relevantChanges, watchLessons } from '../../src/services/watch.js';
import { ensureCheckerEntry } from '../support/checker-entry.js';

const versions = { kubernetes: 'v1.33.13', etcd: 'v3.5.21', kwok: 'v0.7.0' };

describe('validate --watch: which saves matter', () => {
  afterEach(() => vi.useRealTimers());

  it('given paths from fs.watch, when filtered, then lesson sources count and dotfolders, node_modules and other files do not', () => {
    expect(relevantChanges(['lessons/01-hello/lesson.md', 'lessons/01-hello/web.yaml', '.git/index', 'node_modules/x/a.js', 'lessons/01-hello/out.log', 'workshop.yaml', 'lessons/01-hello/lesson.md'])).toEqual([
      'lessons/01-hello/lesson.md',
      'lessons/01-hello/web.yaml',
      'workshop.yaml',
    ]);
  });

  it('given changed files, when mapped to lessons, then each lesson whose folder holds one runs, and workshop.yaml alone runs none', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kubelab-watch-')), 'ws');
    await initWorkshop(dir, { kubelabVersion: '0.1.0', versions });
    const { workshop } = await loadWorkshop(dir);
    expect(lessonsTouched(workshop!, ['lessons/01-hello/web.yaml']).map((l) => l.id)).toEqual(['hello']);
    expect(lessonsTouched(workshop!, ['workshop.yaml'])).toEqual([]);
  });

  it('given a burst of events, when debounced, then one flush carries them all, after the quiet time', () => {
    vi.useFakeTimers();
    const flushes: string[][] = [];
    const d = debounce(300, (paths) => flushes.push([...paths]));
    d.add('a');
    vi.advanceTimersByTime(200);
    d.add('b');
    vi.advanceTimersByTime(299);
    expect(flushes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(flushes).toEqual([['a', 'b']]);
  });
});

/** `validate --watch` on a folder: each save's run, and how to wait for the next. */
async function watching(dir: string, connection = {} as ClusterConnection, env: NodeJS.ProcessEnv = {}) {
  const controller = new AbortController();
  const runs: { lintErrors: number; lessons: string[] }[] = [];
  let notify = () => undefined as void;
  const lines: string[] = [];
  const done = watchLessons({
    root: dir,
    connection,
    env,
    signal: controller.signal,
    prove: false,
    quietMs: 50,
    log: (line) => lines.push(line),
    emit: () => undefined,
    summarize: () => '',
    onRun: (result) => {
      runs.push(result);
      notify();
    },
  });
  await vi.waitFor(() => expect(lines.some((l) => l.startsWith('Watching'))).toBe(true));
  return {
    runs,
    nextRun: () => new Promise<void>((resolve) => (notify = resolve)),
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

/** A scaffolded workshop under `validate --watch`, lint-only. */
async function watchedWorkshop() {
  const dir = join(mkdtempSync(join(tmpdir(), 'kubelab-watch-')), 'ws');
  await initWorkshop(dir, { kubelabVersion: '0.1.0', versions });
  const manifest = join(dir, 'workshop.yaml');
  return { manifest, good: readFileSync(manifest, 'utf8'), ...(await watching(dir)) };
}

describe('validate --watch on a real folder (no cluster needed for lint-only changes)', () => {
  // Each save lints the scaffold, whose checkers/ module imports `kubelab/checker` (dist/checker.js).
  beforeAll(ensureCheckerEntry);

  it('given a watched workshop, when workshop.yaml is broken and then fixed, then each save re-lints, and aborting ends the watch', async () => {
    const { manifest, good, runs, nextRun, stop } = await watchedWorkshop();

    let run = nextRun();
    writeFileSync(manifest, good.replace('  - 01-hello', '  - 09-missing'));
    await run;
    expect(runs.at(-1)!.lintErrors).toBeGreaterThan(0);

    run = nextRun();
    writeFileSync(manifest, good);
    await run;
    expect(runs.at(-1)).toMatchObject({ lintErrors: 0, lessons: [] });

    await stop();
  }, 30_000);

  it('Given a watched workshop, when workshop.yaml is saved twice the way sed -i and many editors save (a new file renamed over it), then both saves are seen', async () => {
    const { manifest, good, runs, nextRun, stop } = await watchedWorkshop();
    const renameSave = (text: string) => {
      writeFileSync(`${manifest}.kubelab-tmp`, text);
      renameSync(`${manifest}.kubelab-tmp`, manifest);
    };

    let run = nextRun();
    renameSave(good.replace('  - 01-hello', '  - 09-missing'));
    await run;
    expect(runs.at(-1)!.lintErrors).toBeGreaterThan(0);

    run = nextRun();
    renameSave(good);
    await run;
    expect(runs.at(-1)).toMatchObject({ lintErrors: 0, lessons: [] });

    run = nextRun();
    renameSave(good.replace('  - 01-hello', '  - 08-missing'));
    await run;
    expect(runs).toHaveLength(3);
    await stop();
  }, 30_000);
});

describe('validate --watch on eks-workshop-v2 pages (pages share a folder)', () => {
  it('Given two pages in one folder, when one is saved, then only that page runs again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-watch-pages-'));
    const page = (title: string, word: string) => `---\ntitle: ${title}\n---\n\n## Say it\n\n\`\`\`bash\n$ echo ${word}\n\`\`\`\n`;
    writeFileSync(join(dir, 'first.md'), page('First', 'one'));
    writeFileSync(join(dir, 'second.md'), page('Second', 'two'));
    const { workshop } = await loadWorkshop(dir);
    expect(workshop!.lessons.map((l) => l.id)).toEqual(['first', 'second']);
    // Without the source's own file list, both pages (one folder) would be taken as changed.
    expect(lessonsTouched(workshop!, ['second.md']).map((l) => l.id)).toEqual(['second']);

    const connection = { provider: 'local', name: 'none', context: 'none', kubeconfig: join(dir, 'no-kubeconfig'), variables: {}, simulated: true } as unknown as ClusterConnection;
    const { runs, nextRun, stop } = await watching(dir, connection, { PATH: process.env.PATH });
    const run = nextRun();
    writeFileSync(join(dir, 'second.md'), page('Second', 'three'));
    await run;
    expect(runs.at(-1)!.lessons).toEqual(['second']);
    await stop();
  }, 30_000);
});
