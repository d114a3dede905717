import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKillercodaContent } from '../../../src/engine/loading/formats/killercoda/source.js';
import { parseScenarioPage } from '../../../src/engine/loading/formats/killercoda/markdown.js';
import { reviewScript, scenarioTools, verdictLine } from '../../../src/engine/loading/formats/killercoda/scripts.js';
import { backendOf } from '../../../src/engine/loading/formats/killercoda/backends.js';
import { loadWorkshop } from '../../../src/engine/loading/sources.js';
import type { RenderSegment } from '../../../src/engine/plan.js';

const COLLECTION = resolve('test/fixtures/killercoda');

function scratch(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kubelab-killercoda-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const proseOf = (segments: RenderSegment[]): string =>
  segments.map((s) => (s.kind === 'prose' ? s.markdown : s.kind === 'label' || s.kind === 'callout' ? proseOf(s.body ?? []) : s.code)).join('\n');

describe('Killercoda scenarios as a lesson source', () => {
  it('given the fixture collection, when loaded, then structure.json orders its scenarios and each is a lesson whose steps are its steps', async () => {
    const { workshop, diagnostics, source } = await loadWorkshop(COLLECTION, { env: {} });
    expect(source?.format).toBe('killercoda');
    expect(diagnostics.hasErrors).toBe(false);
    expect(workshop?.title).toBe('Kubelab practice scenarios');
    expect(workshop?.lessons.map((l) => [l.id, l.steps.map((s) => s.id)])).toEqual([
      ['web-deployment', ['create-the-deployment', 'scale-it-to-three']],
      ['node-placement', ['a-pod-on-node01', 'change-the-image-in-place']],
      ['katacoda-configmap', ['create-a-configmap']],
      ['exec-and-packages', ['a-greeting-in-a-pod', 'read-about-logs']],
    ]);
    const web = workshop!.lessons[0];
    expect(web.intro).toMatch(/prepares a namespace called `shop`/);
    // The finish page is shown at the end of the last step.
    expect(web.steps[1].markdown).toMatch(/## Finish\n\nYou created and scaled a Deployment/);
    expect(web.steps[0].checks).toEqual([expect.objectContaining({ id: 'verify', checker: 'script', args: { file: 'step1/verify.sh', home: 'killercoda/web-deployment' } })]);
  });

  it('given a step page, when read, then {{exec}} blocks and inline exec are commands, {{copy}} is shown only, and no killercoda markup is left in what the learner reads', async () => {
    const { workshop } = await loadWorkshop(COLLECTION, { env: {} });
    const [create, scale] = workshop!.lessons[0].steps;
    const page = create.blocks.filter((b) => b.location.file.endsWith('text.md'));
    expect(page.map((b) => [b.run, b.skipReason])).toEqual([[true, undefined], [true, undefined], [false, '{{copy}}: copied into the terminal by the learner, not run']]);
    expect(page[1].code).toMatch(/kubectl apply -n shop -f \$KUBELAB_WORKSPACE\/killercoda\/web-deployment\/manifests\/web.yaml\n/);
    expect(scale.blocks.map((b) => b.code)).toEqual([expect.stringMatching(/kubectl scale deployment web -n shop --replicas=3\n/)]);
    for (const step of workshop!.lessons.flatMap((l) => l.steps)) {
      expect(step.markdown).not.toMatch(/\{\{(exec|copy|execute)/);
      expect(proseOf(step.render ?? [])).not.toMatch(/\{\{(exec|copy|execute)/);
      for (const s of step.render ?? []) if (s.kind === 'commands') expect(step.blocks[s.blockIndex]).toBeDefined();
    }
    // <details> hints are the step's hints, in order, not prose.
    expect(scale.hints).toEqual(['`kubectl scale` takes `--replicas`.', 'Check with `kubectl get deploy web -n shop`.']);
    expect(scale.markdown).not.toMatch(/details|Hint 1/);
  });

  it('given <details> solutions, when read, then a solution is hidden as a challenge and its messy parts are handled: YAML to save, the k alias, kubectl edit, placeholders', async () => {
    const { workshop } = await loadWorkshop(COLLECTION, { env: {} });
    const [pinned, image] = workshop!.lessons[1].steps;
    expect(pinned.challenge).toBe(true);
    const solution = pinned.blocks.at(-1)!;
    expect(solution.code).toMatch(/cat > pinned\.yaml <<'KUBELAB_MANIFEST'\napiVersion: v1\nkind: Pod[\s\S]*\nkubectl apply -f pinned\.yaml\n/);
    expect(image.hints).toEqual(['**Tip**\n\nThere is a `kubectl set` subcommand for this.']);
    expect(image.blocks.filter((b) => b.location.file.endsWith('text.md')).map((b) => [b.run, b.skipReason ?? b.code.split('\n').at(-1)])).toEqual([
      [false, 'opens an editor (kubectl edit): not run headless'],
      [true, ": 'killercoda carries on whatever the commands returned'"],
    ]);
    const answer = workshop!.lessons[3].steps[0].blocks.filter((b) => b.location.file.endsWith('text.md'));
    expect(answer.map((b) => b.skipReason ?? b.needs?.reason)).toEqual(['needs a real node (a running container): kubectl exec', 'needs a real node (a running container): kubectl exec']);
    // In a block of several commands, only the one with a placeholder is left out, saying why.
    expect(answer[1].code).toContain(": 'kubelab did not run: kubectl logs <pod-name> — has a <placeholder> to fill in'");
  });

  it('given a solution that only shows a manifest, or mixes kubectl edit with commands that run, when read, then kubelab applies the manifest and runs the rest', () => {
    const text = [
      '<details>',
      '<summary>Click to view Solution</summary>',
      '',
      '```yaml',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: shown',
      '```',
      '',
      '```bash',
      'kubectl edit cm shown',
      'kubectl label cm shown tier=web',
      '```',
      '',
      '</details>',
    ].join('\n');
    const page = parseScenarioPage(text, (o) => ({ file: 'p.md', line: 1, column: o + 1 }), 's');
    expect(page.solution).toEqual([0, 1]);
    // A fragment of a manifest (no name) is shown, never applied; a command writing to /opt is left out.
    const fragment = parseScenarioPage('<details><summary>Solution</summary>\n\n```yaml\nkind: Pod\nspec:\n  containers: []\n```\n\n```\necho x > /opt/check.sh\nkubectl get pods\n```\n\n</details>', (o) => ({ file: 'p.md', line: 1, column: o + 1 }), 's');
    expect(fragment.blocks.map((b) => b.code)).toEqual(["set +e\n: 'kubelab did not run: echo x > /opt/check.sh — writes outside the workspace'\nkubectl get pods\n: 'killercoda carries on whatever the commands returned'"]);
    expect(page.blocks[0].code).toBe("set +e\n# kubelab: applies the manifest the solution shows\nkubectl apply -f - <<'KUBELAB_MANIFEST'\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shown\nKUBELAB_MANIFEST\n: 'killercoda carries on whatever the commands returned'");
    expect(page.blocks[1]).toMatchObject({ run: true, code: "set +e\n: 'kubelab did not run: kubectl edit cm shown — opens an editor (kubectl edit): not run headless'\nkubectl label cm shown tier=web\n: 'killercoda carries on whatever the commands returned'" });
  });

  it('given an author\'s solution script beside the verify, when loaded, then it is the step\'s solution and the page\'s commands it replaces are shown only', async () => {
    const { workshop } = await loadWorkshop(COLLECTION, { env: {} });
    const step = workshop!.lessons[2].steps[0];
    expect(step.blocks.at(-1)?.location.file).toMatch(/step1-solution\.sh$/);
    expect(step.challenge).toBe(true);
  });

  it('given Katacoda keys (courseData, code, {{execute}}), when loaded, then they are the background, the foreground and commands', async () => {
    const { workshop } = await loadWorkshop(COLLECTION, { env: {} });
    const katacoda = workshop!.lessons[2];
    const files = katacoda.steps[0].blocks.map((b) => b.location.file.split('/').pop());
    // The page's commands and the author's solution are blocks; the scenario's scripts are plan actions, not blocks too.
    expect(files).toEqual(['step1.md', 'step1.md', 'step1-solution.sh']);
    expect(katacoda.plan?.prepare.map((a) => (a.kind === 'format' ? a.label : a.kind))).toEqual(['nodes controlplane', 'intro background script', 'intro foreground script']);
  });

  it('given a collection with a broken scenario, when loaded, then each mistake is a diagnostic at its file, line and column, and only that scenario is left out', async () => {
    const root = scratch({
      'broken/index.json': '{\n  "title": "Broken",\n  "colour": "red",\n  "details": {\n    "steps": [\n      { "title": "One", "text": "step1.md", "verify": "step1-verify.sh" },\n      { "title": "Two", "text": "missing.md" }\n    ]\n  },\n  "backend": { "imageid": "weird-os" }\n}\n',
      'broken/step1.md': 'Run `ls`{{exec}}\n\n{{mystery}}\n\n```\nhelm template x --set a={{ .Values.a }}\n```\n',
      'bad-json/index.json': '{\n  "details": {,\n}\n',
      'fine/index.json': '{"details": {"steps": [{"title": "A", "text": "a.md"}]}}',
      'fine/a.md': 'Read.\n',
    });
    const { diagnostics, workshop } = await loadWorkshop(root, { env: {} });
    const said = diagnostics.items.map((d) => `${d.location.file.slice(root.length + 1)}:${d.location.line}:${d.location.column}: ${d.severity}: ${d.message}`);
    expect(said).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^bad-json\/index\.json:2:\d+: warning: index\.json is not valid JSON.*\(this scenario is left out; the others run\)$/),
        'broken/index.json:3:3: warning: index.json: unknown key "colour" (killercoda ignores it; kubelab too)',
        'broken/index.json:6:55: warning: "verify": step1-verify.sh is not in the scenario folder (the verify script was not found: the step has no check)',
        'broken/index.json:7:33: warning: "text": missing.md is not in the scenario folder (this scenario is left out; the others run)',
        'broken/index.json:10:16: warning: backend "weird-os" is not one kubelab knows: it is run as kubernetes-kubeadm-1node',
        'broken/step1.md:3:1: warning: {{mystery}}: an annotation kubelab does not support (shown as text)',
      ]),
    );
    // A Helm template in a code block is the code's own, not an annotation.
    expect(said.filter((d) => d.includes('Values'))).toEqual([]);
    expect(diagnostics.hasErrors).toBe(false);
    expect(workshop?.lessons.map((l) => [l.id, l.providers.length > 0, l.unavailableReason])).toEqual([
      ['broken', false, 'the scenario is broken: "text": missing.md is not in the scenario folder'],
      ['fine', true, undefined],
    ]);
  });

  it('given one scenario alone with a missing file, when loaded, then that is an error: its author fixes it', async () => {
    const root = scratch({ 'index.json': '{"details": {"steps": [{"title": "A", "text": "nope.md"}]}}' });
    const { diagnostics } = await loadWorkshop(root, { env: {} });
    expect(diagnostics.items.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(['"text": nope.md is not in the scenario folder']);
  });

  it('given a step with commands and no verify, when loaded, then lint warns that nothing checks it', async () => {
    const root = scratch({ 'index.json': '{"details": {"steps": [{"title": "A", "text": "a.md"}]}}', 'a.md': '`kubectl get pods`{{exec}}' });
    const { diagnostics, workshop } = await loadWorkshop(root, { env: {} });
    expect(diagnostics.items.map((d) => d.message)).toContain('step 1 has no "verify": kubelab cannot tell whether the learner did it');
    expect(workshop?.lessons[0].steps[0].unchecked).toBe('the scenario has no verify script for this step');
  });

  it('given scripts that call jq, helm and k, when loaded, then those are the lesson\'s tools, checked before step 1 like any lesson\'s', async () => {
    const root = scratch({
      'index.json': '{"details": {"steps": [{"title": "A", "text": "a.md", "background": "bg.sh", "verify": "verify.sh"}]}, "backend": {"imageid": "kubernetes-kubeadm-1node"}}',
      'a.md': '`k get pods`{{exec}}',
      'bg.sh': 'helm repo add x https://example.com/charts\n',
      'verify.sh': 'kubectl get pods -o json | jq -e ".items | length > 0"\n',
    });
    const { workshop } = await loadWorkshop(root, { env: {} });
    expect(workshop?.lessons[0].tools.map((t) => t.name)).toEqual(['helm', 'jq', 'kubectl']);
  });

  it('given a verify script that is a symlink out of the scenario, or a path climbing out, when loaded, then kubelab refuses to read it', async () => {
    const root = scratch({ 'index.json': '{"details": {"steps": [{"title": "A", "text": "a.md", "verify": "verify.sh", "background": "../outside.sh"}]}}', 'a.md': 'Read.\n' });
    const outside = join(scratch({ 'secret.sh': 'echo secret\n' }), 'secret.sh');
    symlinkSync(outside, join(root, 'verify.sh'));
    const { diagnostics, workshop } = await loadWorkshop(root, { env: {} });
    expect(diagnostics.items.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      '"background": "../outside.sh" is outside the scenario folder: a scenario may only use its own files',
      expect.stringMatching(/^"verify": "verify\.sh" leads outside the scenario folder \(through a symlink, to .*secret\.sh\)/),
    ]);
    expect(workshop?.lessons[0].steps[0].checks).toEqual([]);
  });

  it('given folders of other content, when detected, then Killercoda is recognised by index.json alone and a folder of plain Markdown is nobody\'s', async () => {
    expect(isKillercodaContent(COLLECTION)).toBe(true);
    expect(isKillercodaContent(join(COLLECTION, 'web-deployment'))).toBe(true);
    expect(isKillercodaContent(resolve('test/fixtures/eksv2-repo/website/docs/demo'))).toBe(false);
    // index.json of something else (a web app's) is not a scenario.
    expect(isKillercodaContent(scratch({ 'index.json': '{"name": "app"}' }))).toBe(false);
    const notes = scratch({ 'a.md': '# Notes\n\nJust text.\n', 'b.md': 'More.\n' });
    const { workshop, diagnostics } = await loadWorkshop(notes, { env: {} });
    expect(workshop).toBeUndefined();
    expect(diagnostics.items[0].message).toMatch(/^kubelab does not recognise this content: pass --workshop pointing at one of: a kubelab workshop .*Killercoda\/Katacoda scenarios .*eks-workshop-v2 pages/);
  });
});

describe('Killercoda scripts, read before they run', () => {
  it('given a background written for a root VM, when reviewed, then what would change the machine is withheld whole with its reason, and the rest runs', () => {
    const script = [
      '#!/bin/bash',
      'apt-get update && apt-get install -y jq',
      'kubectl apply -f /root/app.yaml > /dev/null 2>&1',
      'if ! command -v yq; then',
      '  sudo snap install yq',
      'fi',
      'cat <<EOF > /etc/motd',
      'kubectl delete ns default',
      'EOF',
      'ssh node01 "systemctl restart kubelet"',
      'crictl ps',
      'echo ok > /tmp/ready',
    ].join('\n');
    const reviewed = reviewScript(script);
    expect(reviewed.withheld.map((w) => `${w.line}: ${w.reason}`)).toEqual([
      '2: installs packages on the machine',
      '4: installs packages on the machine',
      '7: writes outside the workspace',
      '10: logs into another node (ssh): the nodes here are simulated',
      '11: acts on a node\'s container runtime or kubeadm, which this cluster does not have',
    ]);
    // The heredoc's body went with its command: nothing of it runs.
    expect(reviewed.code).not.toMatch(/delete ns default/);
    expect(reviewed.code).toMatch(/kubectl apply -f \/root\/app\.yaml > \/dev\/null 2>&1/);
    expect(reviewed.code).toMatch(/echo ok > \/tmp\/ready/);
    // What stands in for a withheld command is valid bash whatever its reason says ("machine's").
    expect(() => execFileSync('bash', ['-n'], { input: reviewed.code })).not.toThrow();
  });

  it('given scripts, when their tools are read, then `k` counts as kubectl and jq, yq, helm, curl are named', () => {
    expect(scenarioTools('k get pods | jq .items\nhelm list\nyq e . x.yaml\ncurl -s https://example.com/x')).toEqual(expect.arrayContaining(['kubectl', 'jq', 'helm', 'yq', 'curl']));
  });

  it('given a verify script\'s output, when summed up, then its last ✅/❌ line is the message, else its last line', () => {
    expect(verdictLine(['checking', '❌ no pod', 'more noise'])).toBe('❌ no pod');
    expect(verdictLine(['✅ one', '✅ two'])).toBe('✅ two');
    expect(verdictLine(['Error from server (NotFound): x', ''])).toBe('Error from server (NotFound): x');
  });

  it('given backend ids, when mapped, then 2-node gives controlplane and node01, retired ids fall back on their prefix, ubuntu needs no cluster', () => {
    const warn = (m: string) => warnings.push(m);
    const warnings: string[] = [];
    expect(backendOf('kubernetes-kubeadm-2nodes', warn).nodes.map((n) => `${n.name}${n.tainted ? ':tainted' : ''}`)).toEqual(['controlplane:tainted', 'node01']);
    expect(backendOf('kubernetes-kubeadm-1node-4GB', warn).nodes.map((n) => n.name)).toEqual(['controlplane']);
    expect(backendOf('kubernetes-k3s-2nodes', warn).cluster).toBe(true);
    expect(backendOf('kubernetes-cluster-running:1.18', warn).nodes).toHaveLength(1);
    expect(backendOf('ubuntu-rapid', warn)).toMatchObject({ cluster: false, nodes: [] });
    expect(warnings).toEqual([]);
    expect(backendOf('plan9', warn).cluster).toBe(true);
    expect(warnings).toEqual(['backend "plan9" is not one kubelab knows: it is run as kubernetes-kubeadm-1node']);
  });

  it('given traffic links and highlighted info strings, when a page is read, then links become localhost and the language is kept', () => {
    const page = parseScenarioPage('Open {{TRAFFIC_HOST1_30080}}.\n\n```yaml{2,3}\nkind: Pod\n```\n', (o) => ({ file: 'p.md', line: 1, column: o + 1 }), 's');
    expect(page.render).toEqual([{ kind: 'prose', markdown: 'Open http://localhost:30080.' }, { kind: 'code', language: 'yaml', code: 'kind: Pod' }]);
    expect(page.usesTraffic).toBe(true);
  });
});

describe('Killercoda steps as the session runs them (their plan)', () => {
  it('Given a {{copy}} block beside {{exec}} ones, when the plan is asked what runs on the local cluster, then the copy block is shown but not run', async () => {
    const { planHere } = await import('../../../src/engine/standard-plan.js');
    const { targetOf } = await import('../../../src/engine/plan.js');
    const { workshop } = await loadWorkshop(COLLECTION, { env: {} });
    const step = workshop!.lessons.find((l) => l.id === 'web-deployment')!.steps[0];
    const here = planHere(step, targetOf('local'));
    expect(here.blocks.some((b) => b.code.includes('kubectl create deployment web'))).toBe(false);
    expect(here.blocks.some((b) => b.code.includes('kubectl apply -n shop'))).toBe(true);
    expect(here.shownOnly).toBeGreaterThan(0);
  });
});
