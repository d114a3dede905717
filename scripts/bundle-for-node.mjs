// Bundles TypeScript entry points for Node 20 into a folder inside the repo (so node_modules
// still resolves their dependencies), for benchmarks and tests that run kubelab's code outside
// vitest: `await bundleForNode({ name: 'path/to/entry.ts' }, outdir)` → outdir/name.mjs
import { build } from 'esbuild';

export async function bundleForNode(entryPoints, outdir) {
  await build({
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}
