#!/usr/bin/env node
// A collection of 300 generated Killercoda scenarios (3 steps each, verify scripts, a background,
// assets): how long `kubelab list --workshop DIR` takes from process start, as a median.
//   npm run build && node bench/killercoda.mjs [--runs N] [--scenarios N]
// Goal: ≤ 1 s for 300 scenarios on the project's 2-core machine.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'kubelab.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, scenarios: { type: 'string', default: '300' } } });

function writeScenario(dir, n) {
  const steps = [1, 2, 3].map((s) => ({ title: `Step ${s} of scenario ${n}`, text: `step${s}/text.md`, verify: `step${s}/verify.sh`, ...(s === 1 && { background: `step${s}/background.sh` }) }));
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'assets', 'app.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${n}\n`);
  writeFileSync(join(dir, 'intro.md'), `# Scenario ${n}\n\nGenerated for the benchmark.\n`);
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ title: `Generated scenario ${n}`, description: `Number ${n}`, details: { intro: { text: 'intro.md' }, steps, finish: { text: 'intro.md' }, assets: { host01: [{ file: '*.yaml', target: '/root' }] } }, backend: { imageid: n % 2 ? 'kubernetes-kubeadm-2nodes' : 'kubernetes-kubeadm-1node' } }, null, 2));
  for (const s of [1, 2, 3]) {
    mkdirSync(join(dir, `step${s}`), { recursive: true });
    writeFileSync(join(dir, `step${s}`, 'text.md'), `Apply it:\n\n\`\`\`\nkubectl apply -f /root/app.yaml\n\`\`\`{{exec}}\n\n<details>\n<summary>Hint</summary>\n\nLook in /root.\n\n</details>\n\n<details>\n<summary>Solution</summary>\n\n\`\`\`\nk get cm app-${n}\n\`\`\`\n\n</details>\n`);
    writeFileSync(join(dir, `step${s}`, 'verify.sh'), `#!/bin/bash\nkubectl get configmap app-${n} >/dev/null 2>&1 && echo "✅ found" || { echo "❌ missing"; exit 1; }\n`);
  }
  writeFileSync(join(dir, 'step1', 'background.sh'), '#!/bin/bash\napt-get install -y jq\nkubectl create namespace work || true\ntouch /tmp/ready\n');
}

const root = mkdtempSync(join(tmpdir(), 'kubelab-killercoda-bench-'));
const state = mkdtempSync(join(tmpdir(), 'kubelab-killercoda-bench-state-'));
try {
  const count = Number(values.scenarios);
  for (let n = 1; n <= count; n++) writeScenario(join(root, `scenario-${String(n).padStart(3, '0')}`), n);
  writeFileSync(join(root, 'structure.json'), JSON.stringify({ items: Array.from({ length: count }, (_, i) => ({ path: `scenario-${String(i + 1).padStart(3, '0')}` })) }));
  const times = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, [CLI, 'list', '--workshop', root], { env: { ...process.env, KUBELAB_STATE_DIR: state, NO_COLOR: '1' }, encoding: 'utf8' });
    times.push(performance.now() - started);
    if (run.status !== 0) throw new Error(`kubelab list exited ${run.status}: ${run.stderr}`);
    if (i === 0 && run.stdout.trim().split('\n').length !== count + 1) throw new Error(`kubelab list showed ${run.stdout.trim().split('\n').length - 1} lessons, expected ${count}`);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`killercoda: ${count} scenarios, kubelab list from process start: median ${median.toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times.at(-1).toFixed(0)}; ${times.length} runs)  goal ≤ 1000 ms`);
} finally {
  if (!process.env.KEEP) rmSync(root, { recursive: true, force: true }); else console.log(root);
  rmSync(state, { recursive: true, force: true });
}
