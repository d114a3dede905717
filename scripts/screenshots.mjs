// Captures the README screenshots from the real app in a tmux pane (100×30) and renders them
// to assets/*.png. Needs a built CLI, tmux, rsvg-convert (librsvg2-bin), fonts-symbola (for ⏳) and a running local
// cluster for KUBELAB_STATE_DIR:
//   KUBELAB_STATE_DIR=/tmp/somewhere node bin/kubelab.js cluster up
//   KUBELAB_STATE_DIR=/tmp/somewhere node scripts/screenshots.mjs
// `node scripts/screenshots.mjs fr` captures only the French one (LANG=fr_FR.UTF-8).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ansiToSvg } from './ansi-to-svg.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const STATE = process.env.KUBELAB_STATE_DIR;
if (!STATE) throw new Error('Set KUBELAB_STATE_DIR to the state dir of a running local cluster.');
const SESSION = `kubelab-shots-${process.pid}`;
const tmux = (...args) => execFileSync('tmux', args, { encoding: 'utf8' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const q = (s) => `'${s}'`;

async function until(text, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!tmux('capture-pane', '-p', '-t', SESSION).includes(text)) {
    if (Date.now() > deadline) throw new Error(`never saw ${text}`);
    await sleep(100);
  }
  await sleep(300);
}

function start(workshop, env = { KUBELAB_STATE_DIR: STATE }) {
  const args = workshop ? ` --workshop ${q(workshop)}` : '';
  const vars = Object.entries(env).map(([k, v]) => `${k}=${q(v)}`).join(' ');
  tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '30', `env -u CI -u NO_COLOR -u LC_ALL -u LC_MESSAGES ${vars} TERM=xterm-256color node ${q(join(ROOT, 'bin', 'kubelab.js'))}${args}; sleep 600`);
}

function shoot(name, title) {
  const ansi = tmux('capture-pane', '-e', '-p', '-t', SESSION);
  const svg = join(ROOT, 'assets', `${name}.svg`);
  writeFileSync(svg, ansiToSvg(ansi, { columns: 100, title }));
  execFileSync('rsvg-convert', ['-o', join(ROOT, 'assets', `${name}.png`), svg]);
  rmSync(svg);
  console.log(`assets/${name}.png`);
}

const send = (...keys) => tmux('send-keys', '-t', SESSION, ...keys);

/** The app in French, as a learner with a French locale sees it: a failing check, its labels and hint. */
async function frenchShot() {
  const fixture = join(ROOT, 'test', 'fixtures', 'tui-workshop');
  rmSync(join(STATE, 'progress', 'kubelab-tui-e2e'), { recursive: true, force: true });
  execFileSync('kubectl', ['--kubeconfig', join(STATE, 'clusters', 'local-kubelab', 'kubeconfig'), 'delete', 'namespace', 'tui-e2e', '--ignore-not-found', '--wait=true']);
  start(fixture, { KUBELAB_STATE_DIR: STATE, LANG: 'fr_FR.UTF-8' });
  await until('✔ joignable');
  send('Enter');
  await until('Étape 1/3');
  send('r');
  await until('✔ Étape réussie');
  send('n');
  await until('Étape 2/3');
  send('c');
  await until('✘ Pas encore');
  shoot('app-check-failed-fr', 'kubelab — en français : une vérification échoue, attendu/trouvé et un indice');
  send('q');
  tmux('kill-session', '-t', SESSION);
}

try {
  execFileSync('mkdir', ['-p', join(ROOT, 'assets')]);
  if (process.argv[2] === 'fr') {
    await frenchShot();
    process.exit(0);
  }
  // 1. Home on the bundled workshop.
  rmSync(join(STATE, 'progress', 'eks-workshop.json'), { force: true });
  start();
  await until('✔ reachable');
  shoot('app-home', 'kubelab — lessons and cluster');
  tmux('kill-session', '-t', SESSION);

  // 2 and 3. A step that passes, then a failing check with its hint (the e2e fixture workshop).
  const fixture = join(ROOT, 'test', 'fixtures', 'tui-workshop');
  rmSync(join(STATE, 'progress', 'kubelab-tui-e2e.json'), { force: true });
  execFileSync('kubectl', ['--kubeconfig', join(STATE, 'clusters', 'local-kubelab', 'kubeconfig'), 'delete', 'namespace', 'tui-e2e', '--ignore-not-found', '--wait=true']);
  start(fixture);
  await until('✔ reachable');
  send('Enter');
  await until('Step 1/3');
  send('r');
  await until('✔ Step passed');
  shoot('app-step-passed', 'kubelab — a step runs and its check passes');
  send('n');
  await until('Step 2/3');
  send('c');
  await until('✘ Not yet');
  shoot('app-check-failed', 'kubelab — a failing check: expected vs actual, and a hint');
  send('q');
  tmux('kill-session', '-t', SESSION);

  // 4. The real RBAC lesson, steps 1–4: rbac-user's access as a grid once the Role is granted.
  rmSync(join(STATE, 'progress', 'eks-workshop.json'), { force: true });
  execFileSync('kubectl', ['--kubeconfig', join(STATE, 'clusters', 'local-kubelab', 'kubeconfig'), 'delete', 'namespace', 'rbac-test', '--ignore-not-found', '--wait=true']);
  start();
  await until('✔ reachable');
  // The third lesson: one key at a time, as a person types.
  for (const key of ['j', 'j', 'Enter']) {
    send(key);
    await sleep(300);
  }
  await until('Step 1/6');
  for (let step = 1; step <= 4; step++) {
    await until(`Step ${step}/6`);
    send('r');
    await until('✔ Step passed', 120_000);
    if (step < 4) send('n');
  }
  shoot('app-rbac-matrix', 'kubelab — RBAC: checks with rbac-user’s real credentials and the access grid');
  send('q');
  tmux('kill-session', '-t', SESSION);
  // Leave the cluster as it was: the lesson stopped halfway.
  execFileSync(process.execPath, [join(ROOT, 'bin', 'kubelab.js'), 'reset', 'rbac', '--cleanup'], { env: { ...process.env, KUBELAB_STATE_DIR: STATE }, stdio: 'ignore' });

  // 5. A first run on a machine with nothing built: empty kubelab, Go and state folders, so the app
  // starts a real cold build. Step 1 runs meanwhile; step 2 waits. Quitting stops the build.
  const fresh = mkdtempSync(join(tmpdir(), 'kubelab-shots-fresh-'));
  try {
    start(undefined, { KUBELAB_STATE_DIR: join(fresh, 'state'), KUBELAB_CACHE_DIR: join(fresh, 'cache'), GOCACHE: join(fresh, 'gocache') });
    await until('packages compiled', 180_000);
    send('Enter');
    await until('Step 1/4');
    send('r');
    await until('✔ Step passed', 120_000);
    send('n');
    await until('Step 2/4');
    send('r');
    await until('Needs the local cluster');
    shoot('app-first-run', 'kubelab — a first run: step 1 runs while the local cluster is built');
    send('q');
    await sleep(3000);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
} finally {
  try {
    tmux('kill-session', '-t', SESSION);
  } catch {
    // already gone
  }
}
