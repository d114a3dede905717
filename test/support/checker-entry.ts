import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkerEntry } from '../../src/engine/loading/workshop-checkers.js';
import { kubelabHome } from '../../src/paths.js';

/**
 * Workshop checker modules import `kubelab/checker`, which is dist/checker.js (built by
 * `npm run build`). When it is missing, this bundles that one entry (well under a second) and
 * moves it into place in one rename, so test files doing it at the same time never see half a
 * file; an existing build is left alone. A unit test that lints a workshop with a checkers/
 * folder (the scaffold's, for one) then needs no build step first.
 */
export async function ensureCheckerEntry(): Promise<void> {
  const entry = checkerEntry();
  if (existsSync(entry)) return;
  const { build } = await import('esbuild');
  const scratch = mkdtempSync(join(tmpdir(), 'kubelab-checker-entry-'));
  try {
    const outfile = join(scratch, 'checker.js');
    await build({ entryPoints: [join(kubelabHome(), 'src', 'checker-entry.ts')], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' });
    mkdirSync(dirname(entry), { recursive: true });
    renameSync(outfile, entry);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
