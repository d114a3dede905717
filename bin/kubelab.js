#!/usr/bin/env node
// From a clone, dist/ exists only after a build: say so instead of a module-not-found stack trace.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('kubelab is not built yet in this folder: run `npm run build` once (or `npm start`, which builds first), then run this again.\n');
  process.exit(3);
}
await import(cli.href);
