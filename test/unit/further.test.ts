import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { emptyProgress } from '../../src/engine/running/progress.js';
import { loadWorkshop } from '../../src/engine/loading/sources.js';
import { runCli } from '../../src/main.js';
import { listWorkshop } from '../../src/services/listing.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BASIC = join(ROOT, 'test', 'fixtures', 'workshops', 'basic');

async function list(workshop: string) {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  const stateDir = mkdtempSync(join(tmpdir(), 'kubelab-further-'));
  const code = await runCli(['list', '--workshop', workshop], { stdout, stderr: new PassThrough(), env: { KUBELAB_STATE_DIR: stateDir, PATH: process.env.PATH }, cwd: stateDir });
  return { code, lines: out.split('\n') };
}

describe('optional lessons: workshop.yaml further:', () => {
  it('Given the bundled workshop, when loaded, then the three core lessons come first and the five of further: after them, marked optional', async () => {
    const { workshop, diagnostics } = await loadWorkshop(ROOT);
    expect(diagnostics.items.filter((d) => d.severity === 'error')).toEqual([]);
    expect(workshop!.lessons.map((l) => `${l.id}${l.optional ? ' (optional)' : ''}`)).toEqual([
      'cluster',
      'microservices',
      'rbac',
      'labels (optional)',
      'daemonsets (optional)',
      'loadbalancer (optional)',
      'pod-security (optional)',
      'identities (optional)',
    ]);
    const listing = listWorkshop(workshop!, emptyProgress(workshop!.id));
    expect(listing.lessons.filter((l) => l.optional).map((l) => l.id)).toEqual(['labels', 'daemonsets', 'loadbalancer', 'pod-security', 'identities']);
  });

  it('Given the bundled workshop, when listed, then "Core path" heads the core lessons and "Go further (optional)" the rest', async () => {
    const { code, lines } = await list(ROOT);
    expect(code).toBe(0);
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    expect(at(/^Core path$/)).toBe(at(/^\s+cluster\s/) - 1);
    expect(at(/^Go further \(optional\)$/)).toBe(at(/^\s+labels\s/) - 1);
    expect(at(/^\s+rbac\s/)).toBeLessThan(at(/^Go further/));
  });

  it('Given a workshop.yaml without further: (the format before it), when listed, then nothing is optional and there are no headings', async () => {
    const { workshop } = await loadWorkshop(BASIC);
    expect(workshop!.lessons.some((l) => l.optional)).toBe(false);
    const { code, lines } = await list(BASIC);
    expect(code).toBe(0);
    expect(lines.join('\n')).not.toMatch(/Core path|Go further/);
  });

  it('Given a folder in both lessons: and further:, when loaded, then it is a duplicate lesson id error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-further-dup-'));
    cpSync(BASIC, dir, { recursive: true });
    const manifest = join(dir, 'workshop.yaml');
    // The fixture's lessons: [hello, broken, unfailable].
    writeFileSync(manifest, `${readFileSync(manifest, 'utf8').trimEnd()}\nfurther: [hello]\n`);
    const { diagnostics } = await loadWorkshop(dir);
    expect(diagnostics.items.map((d) => d.message)).toContainEqual(expect.stringMatching(/^duplicate lesson id/));
  });
});
