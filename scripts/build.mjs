// Bundles src/cli.ts for Node 20. Dependencies stay in node_modules; heavy ones are loaded with
// dynamic import() so each command pays only for what it uses (code splitting keeps them apart).
//
// Ink and React are the exception: they are bundled into the app's chunks. Loaded from
// node_modules they cost ~400 ms (hundreds of small files to resolve); bundled, ~100 ms. Only the
// app imports them, lazily, so `--version` and the headless commands do not load them at all.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const BUNDLED = new Set(['ink', 'react']);
const external = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).filter((name) => !BUNDLED.has(name));

/** Ink imports react-devtools-core only when DEV=true; it is not installed, so it becomes a no-op. */
const noDevtools = {
  name: 'no-react-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };', loader: 'js' }));
  },
};

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  // checker: the public `kubelab/checker` entry for workshop checker modules; zx-*: the preload
  // that lets workshop scripts import kubelab's zx from any folder; config-errors: the local
  // cluster's stand-in for the kubelet's ConfigMap and Secret checks (src/providers/config-errors.ts).
  entryPoints: {
    cli: 'src/cli.ts',
    checker: 'src/checker-entry.ts',
    'zx-globals': 'src/runtime/zx-globals.ts',
    'zx-resolve': 'src/runtime/zx-resolve.ts',
    'config-errors': 'src/providers/config-errors-main.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [noDevtools],
  // React picks its production build; CommonJS parts of the bundle get a real `require`.
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: { js: "import { createRequire as __kubelabCreateRequire } from 'node:module'; const require = __kubelabCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});
