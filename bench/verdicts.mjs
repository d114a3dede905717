#!/usr/bin/env node
// Verdict times on the example workshop's mutation cases (see bench/verdicts.ts), medians and p90.
//   node bench/verdicts.mjs --kubeconfig FILE [--workshop DIR] [--cases id,id]
// `npm run bench` runs it on its own cluster; alone, point it at any local cluster.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { bundleForNode } from '../scripts/bundle-for-node.mjs';

const ROOT = resolve(import.meta.dirname, '..');

/** Runs the cases and prints one line per case, then the figures; returns them. */
export async function reportVerdicts(kubeconfig, workshop = join(ROOT, 'examples', 'config-and-quotas'), only = undefined) {
  const out = join(ROOT, 'node_modules', '.cache', 'kubelab-bench');
  await bundleForNode({ verdicts: join(ROOT, 'bench', 'verdicts.ts') }, out);
  const bench = await import(pathToFileURL(join(out, 'verdicts.mjs')).href);
  const cases = only ? bench.MUTATION_CASES.filter((c) => only.includes(c.id)) : bench.MUTATION_CASES;
  console.log(`verdict times, ${cases.length} mutation cases of ${workshop} (commands end → step verdict):`);
  const times = await bench.benchVerdicts(kubeconfig, workshop, cases, (line) => console.log(line));
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const failing = times.failing.map((f) => f.ms);
  console.log(`failing verdict: median ${s(bench.median(failing))}, p90 ${s(bench.percentile(failing, 90))} over ${failing.length} cases   goal median ≤ 5 s`);
  console.log(`passing verdict: median ${(bench.median(times.passing)).toFixed(0)} ms, p90 ${bench.percentile(times.passing, 90).toFixed(0)} ms over ${times.passing.length} steps   goal ≤ 100 ms`);
  for (const problem of times.problems) console.log(`  case not as meant: ${problem}`);
  return times;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { kubeconfig: { type: 'string' }, workshop: { type: 'string' }, cases: { type: 'string' } } });
  if (!values.kubeconfig) {
    console.error('usage: node bench/verdicts.mjs --kubeconfig FILE [--workshop DIR] [--cases id,id]');
    process.exit(2);
  }
  await reportVerdicts(values.kubeconfig, values.workshop ? resolve(values.workshop) : undefined, values.cases?.split(','));
}
