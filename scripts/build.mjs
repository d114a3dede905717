// Bundles src/cli.ts for Node 20. Dependencies stay in node_modules; heavy ones are loaded with
// dynamic import() so each command pays only for what it uses (code splitting keeps them apart).
//
// Ink and React are the exception: they are bundled into the app's chunks. Loaded from
// node_modules they cost ~400 ms (hundreds of small files to resolve); bundled, ~100 ms. Only the
// app imports them, lazily, so `--version` and the headless commands do not load them at all.
import { build } from 'esbuild';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';

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
const result = await build({
  metafile: true,
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

// The licences of what the bundle carries (Ink, React and what they pull in), read from the
// packages the bundle was actually made of: dist/THIRD-PARTY-NOTICES.txt ships with the package.
const bundled = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (match) bundled.add(match[1]);
}
const notices = ['kubelab bundles the following packages into dist/; each is under its own licence, reproduced here.', ''];
for (const name of [...bundled].sort()) {
  const dir = new URL(`../node_modules/${name}/`, import.meta.url);
  const meta = JSON.parse(await readFile(new URL('package.json', dir), 'utf8'));
  const licenceFile = (await readdir(dir)).find((f) => /^(licen[cs]e|copying)/i.test(f));
  notices.push(`${'-'.repeat(78)}\n${name}@${meta.version} (${meta.license ?? 'see its licence'})\n`);
  notices.push(licenceFile ? (await readFile(new URL(licenceFile, dir), 'utf8')).trim() : `No licence file in the package; its package.json says ${meta.license}.`, '');
}
await writeFile(new URL('../dist/THIRD-PARTY-NOTICES.txt', import.meta.url), `${notices.join('\n')}\n`);

// The class server's web view (page, script, stylesheet) is served as files, not bundled: the
// package ships dist/, not src/.
await cp(new URL('../src/class/web', import.meta.url), new URL('../dist/class-web', import.meta.url), { recursive: true });
