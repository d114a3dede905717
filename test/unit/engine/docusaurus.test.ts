import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/engine/diagnostics.js';
import { isDocusaurusTree, loadDocusaurusWorkshop } from '../../../src/engine/loading/formats/docusaurus/source.js';
import { mapEnvironmentPaths } from '../../../src/engine/loading/formats/docusaurus/page.js';
import { commandNeeds, providerLacks } from '../../../src/engine/needs.js';
import { loadWorkshop } from '../../../src/engine/loading/sources.js';

const FENCE = '```';
const FIXTURE = resolve('test/fixtures/eksv2-repo');
const MODULE = join(FIXTURE, 'website/docs/demo');
const dirs: string[] = [];
const tree = (files: Record<string, string>): string => {
  const root = mkdtempSync(join(tmpdir(), 'kubelab-docusaurus-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
};
const page = (title: string, position: number, body = '') => `---\ntitle: ${title}\nsidebar_position: ${position}\n---\n\n${body}`;
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('opening eks-workshop-v2 pages', () => {
  it('given a module folder without workshop.yaml, when loaded, then its pages are lessons in sidebar order with frontmatter titles', async () => {
    const { workshop, diagnostics } = await loadWorkshop(MODULE, { env: {} });
    expect(diagnostics.hasErrors).toBe(false);
    expect(workshop?.format).toBe('docusaurus');
    expect(workshop?.lessons.map((l) => [l.id, l.title])).toEqual([
      ['demo', 'Fixture module'],
      ['headings', 'Only third-level headings'],
      ['nested', 'A nested folder'],
      ['website-syntax', 'Website syntax'],
      ['cloud', 'Needs AWS'],
    ]);
  });

  it('given a single page, when loaded, then it is a one-lesson workshop; a folder with workshop.yaml is not Docusaurus', async () => {
    expect(isDocusaurusTree(join(MODULE, 'headings.md'))).toBe(true);
    expect(isDocusaurusTree(resolve('.'))).toBe(false);
    const { workshop } = await loadWorkshop(join(MODULE, 'headings.md'), { env: {} });
    expect(workshop?.lessons.map((l) => l.id)).toEqual(['headings']);
  });

  it('given a page with only ### headings and a command above them, when loaded, then every command block is in a step and prose-only sections join the next', async () => {
    const { workshop } = await loadDocusaurusWorkshop(join(MODULE, 'headings.md'), { env: {} });
    const steps = workshop!.lessons[0].steps;
    expect(steps.map((s) => [s.title, s.blocks.length])).toEqual([
      ['Only third-level headings', 1],
      ['A ConfigMap from a heredoc', 1],
      ['Blank lines end a block', 1],
      ['Meant to fail', 1],
      ['Raw blocks', 1],
      ['Shown, not run', 2],
    ]);
    // "Reading without a command" has no block: it is the prose of the next step, heading kept.
    expect(steps[2].markdown).toMatch(/### Reading without a command[\s\S]*#### A fourth-level heading[\s\S]*### Blank lines end a block/);
  });

  it('given blocks with every attribute, when loaded, then each lands on the block the way their test tool reads it', async () => {
    const { workshop, diagnostics } = await loadDocusaurusWorkshop(join(MODULE, 'headings.md'), { env: {} });
    const blocks = workshop!.lessons[0].steps.flatMap((s) => s.blocks);
    expect(blocks[1]).toMatchObject({ timeoutSeconds: 60, hook: { name: 'greeting', timeoutSeconds: 30, script: join(MODULE, 'tests/hook-greeting.sh') } });
    expect(blocks[1].code).toBe('kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\n  namespace: shop\ndata:\n  message: hello\nEOF');
    expect(blocks[2]).toMatchObject({ waitSeconds: 1, code: "kubectl get configmap greeting -n shop -o jsonpath='{.data.message}'" });
    expect(blocks[3].expect).toBe('fail');
    expect(blocks[4].code).toContain('\n\necho "raw blocks read past blank lines"');
    expect(blocks[5]).toMatchObject({ run: false, skipReason: expect.stringContaining('test=false') });
    expect(blocks[6]).toMatchObject({ run: false, skipReason: expect.stringContaining('no "$ " line') });
    expect(diagnostics.items.map(formatDiagnostic)).toEqual([expect.stringMatching(/headings\.md:43:1: warning: this "\$ " line comes after a blank line, so it is never run/)]);
  });

  it('given frontmatter, MDX imports and website directives, when loaded, then frontmatter is accepted, imports are left out and ::yaml shows the file', async () => {
    const { workshop, diagnostics } = await loadDocusaurusWorkshop(MODULE, { env: {} });
    expect(diagnostics.hasErrors).toBe(false);
    const [intro, , , syntax] = workshop!.lessons;
    expect(intro.steps[0].markdown).not.toContain('import Tabs');
    expect(intro.steps[0].markdown).toContain(':::tip Before you start');
    expect(syntax.steps[0].markdown).toContain('**web.yaml** (`manifests/modules/demo/web.yaml`)\n\n```yaml\napiVersion: apps/v1');
    expect(syntax.steps[0].markdown).toContain('```yaml\napiVersion: v1\nkind: ConfigMap');
    expect(syntax.steps[2].markdown).toContain('::video{id=not-a-real-directive}');
  });

  it('given ~/environment paths, when loaded, then eks-workshop maps to the manifests folder above the content and the rest to the workspace', async () => {
    const { workshop } = await loadDocusaurusWorkshop(MODULE, { env: {} });
    expect(workshop!.variables.KUBELAB_EKS_MANIFESTS).toBe(join(FIXTURE, 'manifests'));
    expect(workshop!.lessons[3].steps[0].blocks[0].code).toContain(`kubectl apply -f ${join(FIXTURE, 'manifests')}/modules/demo/web.yaml`);
    expect(mapEnvironmentPaths('cd ~/environment/argocd && ls ~/environment', undefined)).toBe('cd "$KUBELAB_WORKSPACE/environment"/argocd && ls "$KUBELAB_WORKSPACE/environment"');
    const { workshop: overridden } = await loadDocusaurusWorkshop(MODULE, { env: { KUBELAB_EKS_MANIFESTS: '/opt/manifests' } });
    expect(overridden!.lessons[3].steps[0].blocks[0].code).toContain('kubectl apply -f /opt/manifests/modules/demo/web.yaml');
  });

  it('given a page calling AWS and a prepare-environment whose terraform creates resources, when loaded, then the page is unavailable on local and kind, saying why', async () => {
    const { workshop } = await loadDocusaurusWorkshop(MODULE, { env: {} });
    const cloud = workshop!.lessons[4];
    expect(cloud.providers).toEqual(['eks', 'existing']);
    expect(cloud.unavailableReason).toBe('needs AWS: prepare-environment demo/cloud creates AWS resources with terraform');
    expect(workshop!.lessons[0].providers).toContain('local');
    expect(workshop!.lessons[0].steps[0].blocks[0].needs).toBeUndefined();
  });

  it('given commands that need a running container, when classified, then they need a real node on local only', () => {
    for (const command of ['kubectl exec -n ui ui-pod -- env', 'kubectl -n ui logs ui-pod', 'kubectl port-forward svc/ui 8080:80', 'curl -s http://$LB_HOST/', 'if kubectl exec p -- true; then echo; fi', "kubectl wait --for=jsonpath='{.status.phase}'=Running pod -l job-name=manual-cleanup -n catalog"]) {
      expect(commandNeeds(command), command).toMatchObject({ kind: 'node' });
    }
    for (const command of ['kubectl get pods -l app=logs', 'kubectl describe pod exec-pod', 'curl -sL https://github.com/x/y.tar.gz | tar x', 'kubectl get cm aws-auth -n kube-system', 'echo eksctl']) {
      expect(commandNeeds(command), command).toBeUndefined();
    }
    expect(commandNeeds('export ID=$(aws sts get-caller-identity)')).toMatchObject({ kind: 'aws' });
    const node = commandNeeds('kubectl logs x');
    expect([providerLacks(node, 'local'), providerLacks(node, 'kind'), providerLacks(node, 'eks')]).toEqual([true, false, false]);
  });

  it('given folders with tests/hook-suite.sh and .notest, when loaded, then suite hooks wrap the folder and untested pages run nothing', async () => {
    const root = tree({
      'index.md': page('Root', 1),
      'a/index.md': page('A', 2, `${FENCE}bash\n$ echo a\n${FENCE}\n`),
      'a/second.md': page('A2', 5, `${FENCE}bash\n$ echo a2\n${FENCE}\n`),
      'a/tests/hook-suite.sh': 'before() { :; }\nafter() { :; }\n"$@"\n',
      'setup/.notest': '',
      'setup/index.md': page('Setup', 3, `${FENCE}bash\n$ eksctl create cluster\n${FENCE}\n`),
      'last.md': page('Last', 9),
    });
    const { workshop } = await loadDocusaurusWorkshop(root, { env: {} });
    expect(workshop!.lessons.map((l) => l.id)).toEqual(['index', 'a', 'a-second', 'setup', 'last'].map((id) => (id === 'index' ? workshop!.id : id)));
    const [, a, a2, setup] = workshop!.lessons;
    expect(a.suiteHooks).toEqual({ before: [join(root, 'a/tests/hook-suite.sh')], after: [] });
    expect(a2.suiteHooks).toEqual({ before: [], after: [join(root, 'a/tests/hook-suite.sh')] });
    expect(setup.steps[0].blocks[0]).toMatchObject({ run: false, skipReason: expect.stringContaining('.notest') });
  });

  it('given a folder whose tests/hook-suite.sh is a symlink out of the content, when loaded, then it is an error and no suite hook is attached (issue 25, item 3)', async () => {
    const outside = tree({ 'evil.sh': 'touch /tmp/kubelab-should-not-run\n' });
    const root = tree({ 'index.md': page('Root', 1), 'a/index.md': page('A', 2, `${FENCE}bash\n$ echo a\n${FENCE}\n`) });
    mkdirSync(join(root, 'a', 'tests'));
    symlinkSync(join(outside, 'evil.sh'), join(root, 'a', 'tests', 'hook-suite.sh'));
    const { workshop, diagnostics } = await loadWorkshop(root, { env: {} });
    expect(diagnostics.items.map(formatDiagnostic)).toContainEqual(expect.stringMatching(/a\/tests\/hook-suite\.sh:1:1: suite hook "tests\/hook-suite\.sh" leads outside the workshop folder/));
    expect(workshop!.lessons.every((l) => !l.suiteHooks || (l.suiteHooks.before.length === 0 && l.suiteHooks.after.length === 0))).toBe(true);
  });

  it('given a hook that does not exist, when loaded, then lint warns naming the missing script (the page still opens)', async () => {
    const root = tree({ 'p.md': page('P', 1, `${FENCE}bash hook=missing\n$ echo x\n${FENCE}\n`) });
    const { diagnostics } = await loadDocusaurusWorkshop(root, { env: {} });
    expect(diagnostics.items.map(formatDiagnostic)).toEqual(expect.arrayContaining([expect.stringMatching(/p\.md:6:1: warning: hook=missing: tests\/hook-missing\.sh does not exist \(its check will fail\)/)]));
  });

  it('given a module introduction whose prepare-environment needs AWS, when loaded, then every later page of its folder is ruled out too, saying what it builds on', async () => {
    const root = tree({
      'website/docs/mod/index.md': page('Module', 1, `${FENCE}bash\n$ prepare-environment mod\n${FENCE}\n`),
      'website/docs/mod/page.md': page('Page', 2, `${FENCE}bash\n$ kubectl get pods\n${FENCE}\n`),
      'manifests/modules/mod/.workshop/terraform/main.tf': 'module "x" {\n  source = "./x"\n}\n',
    });
    const { workshop } = await loadDocusaurusWorkshop(join(root, 'website/docs/mod'), { env: {} });
    const [intro, later] = workshop!.lessons;
    expect(intro.unavailableReason).toBe('needs AWS: prepare-environment mod creates AWS resources with terraform');
    expect(later.providers).toEqual(['eks', 'existing']);
    expect(later.unavailableReason).toBe('builds on "Module", which needs AWS: prepare-environment mod creates AWS resources with terraform');
  });
});

