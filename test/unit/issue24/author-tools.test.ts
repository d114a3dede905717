/**
 * A new author's findings, item 11: list honours the workshop's providers, reports time each check,
 * hints tied to a failed check are reported, and the docs point only at what the package ships.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hintsFor, hintsForFailedChecks } from '../../../src/engine/running/hints.js';
import { emptyProgress } from '../../../src/engine/running/progress.js';
import { loadWorkshop } from '../../../src/engine/loading/sources.js';
import { listWorkshop } from '../../../src/services/listing.js';
import { renderSummary, plain } from '../../../src/reporters/pretty.js';
import type { LessonsReport } from '../../../src/engine/running/run-lessons.js';
import type { Step } from '../../../src/engine/types.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('kubelab list --json and the workshop’s providers', () => {
  it('Given a workshop that declares local, kind and existing, then no lesson lists eks', async () => {
    const { workshop } = await loadWorkshop(ROOT);
    workshop!.providers = ['local', 'kind', 'existing'];
    const listing = listWorkshop(workshop!, emptyProgress(workshop!.id));
    for (const lesson of listing.lessons) expect(lesson.providers).not.toContain('eks');
    expect(listing.lessons[0].providers).toEqual(['local', 'kind', 'existing']);
  });
});

describe('hints per provider, and hints for a failed check', () => {
  const step = { hints: ['any failure', 'the API is down', 'an AWS tip'], hintChecks: [undefined, 'api-reachable', undefined], hintProviders: [undefined, undefined, ['eks' as const]] } satisfies Pick<Step, 'hints' | 'hintChecks' | 'hintProviders'>;

  it('Given a hint for EKS only, then a local learner’s hints leave it out and are numbered without it', () => {
    expect(hintsFor(step, 'local').map((h) => h.text)).toEqual(['any failure', 'the API is down']);
    expect(hintsFor(step, 'eks')).toHaveLength(3);
  });

  it('Given api-reachable failed, then its tied hint is the one reported', () => {
    expect(hintsForFailedChecks(step, 'local', ['api-reachable'])).toEqual(['the API is down']);
    expect(hintsForFailedChecks(step, 'local', ['nodes-ready'])).toEqual([]);
  });

  it('Given a failed step with hints in the report, then the pretty summary prints them under it', () => {
    const report: LessonsReport = {
      lessons: [{ id: 'l', title: 'L', status: 'failed', durationMs: 5, steps: [{ id: 's', title: 'S', status: 'failed', durationMs: 5, error: 'api-reachable: no answer', checks: [{ id: 'api-reachable', checker: 'api-reachable', status: 'fail', message: 'no answer', durationMs: 1234 }], hints: ['the API is down'] }] }],
      summary: { passed: 0, failed: 1, skipped: 0, durationMs: 5 },
    };
    expect(renderSummary(report, plain)).toContain('hint: the API is down');
  });
});

describe('the docs point at what the package ships', () => {
  it('Given the docs name examples/ and fixtures, then every such path a reader is sent to is in the package’s files', () => {
    const files: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files;
    const docs = ['docs/authoring.md', 'docs/lesson-format.md'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
    const named = [...docs.matchAll(/`((?:examples|test\/fixtures)\/[^`\s]*)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    const shipped = (path: string) => files.some((f) => path.startsWith(f.replace(/\/$/, '')));
    // A fixture of the source repository may be named only where the docs say it is not shipped.
    const unshipped = named.filter((p) => !shipped(p) && !docs.includes(`\`${p}\` (a fixture of the source repository, not of the package)`));
    expect(unshipped).toEqual([]);
  });

  it('Given docs/authoring.md, then it gives the checker helpers’ signatures', () => {
    const authoring = readFileSync(join(ROOT, 'docs', 'authoring.md'), 'utf8');
    for (const signature of ['fail(message: string, extra?: Partial<CheckResult>): CheckResult', 'textMatches(pattern: string, text: string): boolean', 'matchPartial(expected: unknown, actual: unknown): Difference[]', 'defineChecker<S extends z.ZodTypeAny>']) {
      expect(authoring).toContain(signature);
    }
  });
});
