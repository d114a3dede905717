/**
 * The app in French in a real terminal (tmux, 100×30) on the real local test cluster: a learner
 * whose locale is French (LANG=fr_FR.UTF-8) sees the home screen, a step, a failing check with its
 * French message, labels and hint in French, then switches to English with L. The fixture
 * workshop has a French translation beside its lesson (lesson.fr.md). Needs `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { quote, Terminal } from '../support/tmux.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'kubelab.js');
const WORKSHOP = join(ROOT, 'test', 'fixtures', 'tui-workshop');
const SESSION = `kubelab-e2e-fr-${process.pid}`;

const terminal = new Terminal(SESSION);
// French typography puts a no-break space before « : » and « ? »: compare with plain spaces.
const plain = (text: string) => text.replace(/\u00a0/g, ' ');
const screen = () => plain(terminal.screen());
const visible = () => plain(terminal.visible());
const press = (key: string) => terminal.press(key);
async function see(text: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!screen().includes(text)) {
    if (Date.now() > deadline) throw new Error(`the screen never showed "${text}". It shows:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let stateDir: string;
let kubeconfig: string;

const kubectl = (...args: string[]) => execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  stateDir = inject('stateDir');
  kubeconfig = inject('kubeconfig');
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('Build the CLI first: npm run build');
  rmSync(join(stateDir, 'progress', 'kubelab-tui-e2e'), { recursive: true, force: true });
  rmSync(join(stateDir, 'progress', 'kubelab-tui-e2e.json'), { force: true });
  kubectl('delete', 'namespace', 'tui-e2e', '--ignore-not-found', '--wait=true', '--timeout=60s');
});

afterAll(() => {
  terminal.kill();
  kubectl('delete', 'namespace', 'tui-e2e', '--ignore-not-found', '--wait=false');
  rmSync(join(stateDir, 'progress', 'kubelab-tui-e2e'), { recursive: true, force: true });
});

describe('kubelab app in French in a real terminal', () => {
  it('Given LANG=fr_FR.UTF-8, when the learner runs a step, fails a check, reads its hint and presses L, then everything is French until the switch and English after', async () => {
    terminal.start(['env -u CI -u LC_ALL -u LC_MESSAGES', 'LANG=fr_FR.UTF-8', `KUBELAB_STATE_DIR=${quote(stateDir)}`, 'TERM=xterm-256color', `node ${quote(CLI)} --workshop ${quote(WORKSHOP)}`].join(' '));

    // Home: the workshop's French title, the lesson's, its state and the keys, in French.
    await see('Atelier de test de l’app : déployer, vérifier, mettre à l’échelle');
    await see('✔ joignable');
    const home = visible();
    expect(home).toMatch(/› 1\. Déployer une application web\s+5 min\s+○ pas commencée/);
    expect(home).toContain('Entrée ouvrir · p fournisseur');
    expect(home).toContain('? aide · q quitter · L English');
    expect(home).toContain('cluster : local');
    expect(home).not.toMatch(/\bnot started\b|\breachable\b/);

    // A step: its French prose and heading, its commands, a pass.
    await press('Enter');
    await see('Étape 1/3 : Créer le déploiement web');
    expect(screen()).toContain('Leçon 1 · Déployer une application web › Étape 1/3 : Créer le déploiement web');
    expect(screen()).toContain('Les utilisateurs anonymes n’ont pas le droit'.replace('’', "'"));
    await press('r');
    await see('✔ Étape réussie. Appuyez sur n pour l’étape suivante.', 90_000);
    const afterRun = screen();
    expect(afterRun).toContain('✔ a échoué comme prévu (code 1) — c’est tout l’intérêt de cette étape');
    expect(afterRun).toMatch(/✔ terminé \(code 0, \d+,\d s\)/);
    expect(afterRun).toContain('✔ deployment-ready: web : 2/2 répliques prêtes');

    // A failing check: the checker's own message, expected/found labels and hint, in French.
    await press('n');
    await see('Étape 2/3 : Passer web à trois répliques [défi]');
    expect(screen()).toContain('(1 bloc de commandes masqué : c’est un défi.');
    await press('c');
    await see('✘ Pas encore : deployment-ready: web demande 2 répliques, attendu 3', 60_000);
    const afterCheck = screen();
    expect(afterCheck).toContain('attendu : 3 répliques');
    expect(afterCheck).toContain('trouvé :  2 répliques');
    expect(afterCheck).toContain('indice : kubectl scale deployment web -n tui-e2e --replicas=3');
    await press('h');
    await see('Indice 1/2 : kubectl scale modifie le nombre de répliques d’un Deployment.'.replace('’', "'"));

    // L: the same step again, in English, and the app's words in English from here on.
    await press('L');
    await see('Language: English. Press L to switch back.');
    await see('━━ Lesson 1 · Deploy a web app › Step 2/3: Scale web to three replicas');
    const english = visible();
    expect(english).toContain('Step 2/3: Scale web to three replicas [challenge]');
    expect(english).toContain('r run · c check · h hint');

    // Quit and reopen: the choice was kept with the learner's progress, over the French locale.
    await press('q');
    await see('KUBELAB_EXIT=0');
    terminal.start(['env -u CI -u LC_ALL -u LC_MESSAGES', 'LANG=fr_FR.UTF-8', `KUBELAB_STATE_DIR=${quote(stateDir)}`, 'TERM=xterm-256color', `node ${quote(CLI)} --workshop ${quote(WORKSHOP)}`].join(' '));
    await see('Step 2/3: Scale web to three replicas [challenge]');
    await see('✔ reachable');
    await press('q');
    await see('KUBELAB_EXIT=0');
  });
});
