import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { parseDocument, isSeq } from 'yaml';
import { UsageError } from '../errors.js';
import { controlPlaneBuildScript } from '../install-root.js';
import { KUBELAB_VERSION } from '../version.js';
import { sourceHash } from '../engine/i18n/lesson-translation.js';

/** What the control plane is built from; the CI cache is keyed on it so a new version rebuilds. */
export interface ControlPlaneVersions {
  kubernetes: string;
  etcd: string;
  kwok: string;
}

/** Reads the pinned versions out of scripts/build-control-plane.sh (its defaults are the truth). */
export function controlPlaneVersions(buildScript: string): ControlPlaneVersions {
  const pick = (name: string) => {
    const match = new RegExp(`^${name}_VERSION="\\$\\{KUBELAB_${name}_VERSION:-([^}"]+)\\}"`, 'm').exec(buildScript);
    if (!match) throw new Error(`build-control-plane.sh has no default ${name}_VERSION`);
    return match[1];
  };
  return { kubernetes: pick('K8S'), etcd: pick('ETCD'), kwok: pick('KWOK') };
}

/** A folder or free-text name turned into a workshop or lesson id: lowercase letters, digits, dashes. */
export function toId(name: string): string {
  const id = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
  if (!id || !/^[a-z0-9]/.test(id)) throw new UsageError(`"${name}" cannot be made into an id.`, 'Use letters, digits and dashes, e.g. my-workshop');
  return id;
}

const titleOf = (id: string) => id.replace(/^\d+-/, '').split('-').filter(Boolean).map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');

export interface WorkflowOptions {
  kubelabVersion: string;
  versions: ControlPlaneVersions;
}

/**
 * The GitHub Actions workflow for a workshop repository (the same text is in docs/authoring.md).
 * The control plane is compiled from Go once (many minutes) and cached under ~/.cache/kubelab,
 * keyed on its versions; a warm cache makes the build script a no-op.
 */
export function workflowFile({ kubelabVersion, versions }: WorkflowOptions): string {
  const key = `kubelab-control-plane-\${{ runner.os }}-k8s-${versions.kubernetes}-etcd-${versions.etcd}-kwok-${versions.kwok}`;
  return `# Lints and validates this workshop on every push and pull request, on a local Kubernetes
# control plane (real kube-apiserver, simulated nodes). Lint and check failures are annotated on
# the pull request's lines; the JUnit report is attached to the run.
name: kubelab

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read
  checks: write

jobs:
  validate:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
      - uses: actions/checkout@v4

      - uses: actions/setup-node@v4
        with:
          node-version: 20

      # Go is the fallback: kubelab uses its prebuilt control plane package (an optional
      # dependency for this platform) and compiles from source only without it.
      - uses: actions/setup-go@v5
        with:
          go-version: '1.24'
          cache: false

      - name: Cache the local control plane
        uses: actions/cache@v4
        with:
          path: ~/.cache/kubelab
          key: ${key}

      # Not --omit=optional: the prebuilt control plane is an optional dependency too.
      - name: Install kubelab
        run: npm install --global kubelab@${kubelabVersion}

      - name: Lint the lessons
        run: kubelab lint --workshop . --reporter github

      # Uses the prebuilt control plane, or builds it from source first (cached above).
      - name: Start a local cluster
        run: kubelab cluster up --provider local

      - name: Validate every lesson, proving each check can fail
        run: kubelab validate --workshop . --prove --reporter junit --output report.xml --reporter github

      - name: Publish the JUnit report
        if: \${{ !cancelled() }}
        uses: mikepenz/action-junit-report@v5
        with:
          report_paths: report.xml

      - name: Keep the report
        if: \${{ !cancelled() }}
        uses: actions/upload-artifact@v4
        with:
          name: kubelab-report
          path: report.xml

      - name: Stop the cluster
        if: always()
        run: kubelab cluster down --provider local
`;
}

export function workshopYaml(id: string, title: string, lessons: string[]): string {
  return `# A kubelab workshop. The format: docs/lesson-format.md in the kubelab package.
id: ${id}
title: ${JSON.stringify(title)}
description: >
  What the learner builds in this workshop, in two or three sentences.
lessons:
${lessons.map((l) => `  - ${l}`).join('\n')}
variables:
  # Commands see it as $NS, check arguments as \${NS}; the environment can override it.
  NS: ${id}
providers: [local, kind, existing]
`;
}

const HELLO_LESSON = `---
id: hello
title: Hello, cluster
minutes: 5
tools: [kubectl]
---

# Hello, cluster

Put a web server on the cluster, watch it run, then take it away again. Each \`## \` heading is a
step: kubelab runs its commands, then checks the cluster until the step's checks pass.

## Deploy a web server

\`web.yaml\`, in this lesson's folder, holds a namespace and a Deployment of two nginx pods.
Commands run in the lesson's folder, so the file is found as it is.

\`\`\`bash
kubectl apply -f web.yaml
kubectl get deployment web -n "$NS"
\`\`\`

\`\`\`yaml step
checks:
  - check: deployment-ready
    args: { name: web, namespace: "\${NS}", replicas: 2, image: "nginx:1.27" }
    timeout: 90
  # This workshop's own checker, from checkers/replicas-at-least.ts.
  - check: replicas-at-least
    args: { name: web, namespace: "\${NS}", min: 2 }
    timeout: 90
hints:
  - "kubectl get pods -n $NS shows whether the pods have started."
  - "Run kubectl apply -f web.yaml from this lesson's folder."
\`\`\`

## Clean up

Deleting the namespace deletes everything in it.

\`\`\`bash timeout=120
kubectl delete -f web.yaml --wait=true
\`\`\`

\`\`\`yaml step
checks:
  - check: gone
    args: { resources: [{ kind: Namespace, name: "\${NS}" }] }
    timeout: 120
\`\`\`
`;

/**
 * The hello lesson in French, beside it: how an author adds a language. Prose and hints are
 * translated, commands and checks copied as they are, and `translatedFrom` records the lesson.md
 * it follows, so lint says when one changes without the other.
 */
const helloLessonFr = () => `---
id: hello
title: Bonjour, cluster
minutes: 5
translatedFrom: ${sourceHash(HELLO_LESSON)}
---

# Bonjour, cluster

Installez un serveur web sur le cluster, regardez-le tourner, puis retirez-le. Chaque titre \`## \`
est une étape\u00a0: kubelab lance ses commandes, puis vérifie le cluster jusqu'à ce que les
vérifications de l'étape passent.

## Déployer un serveur web

\`web.yaml\`, dans le dossier de cette leçon, contient un espace de noms et un Deployment de deux
pods nginx. Les commandes se lancent dans le dossier de la leçon\u00a0: le fichier est trouvé tel quel.

\`\`\`bash
kubectl apply -f web.yaml
kubectl get deployment web -n "$NS"
\`\`\`

\`\`\`yaml step
checks:
  - check: deployment-ready
    args: { name: web, namespace: "\${NS}", replicas: 2, image: "nginx:1.27" }
    timeout: 90
  # Le checker propre à cet atelier, dans checkers/replicas-at-least.ts.
  - check: replicas-at-least
    args: { name: web, namespace: "\${NS}", min: 2 }
    timeout: 90
hints:
  - "kubectl get pods -n $NS montre si les pods ont démarré."
  - "Lancez kubectl apply -f web.yaml depuis le dossier de cette leçon."
\`\`\`

## Nettoyer

Supprimer l'espace de noms supprime tout ce qu'il contient.

\`\`\`bash timeout=120
kubectl delete -f web.yaml --wait=true
\`\`\`

\`\`\`yaml step
checks:
  - check: gone
    args: { resources: [{ kind: Namespace, name: "\${NS}" }] }
    timeout: 120
\`\`\`
`;

const webYaml = (namespace: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${namespace}
  labels: { app: web }
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
`;

/**
 * An example of a checker of the workshop's own (docs/lesson-format.md, "Checkers of your own"):
 * kubelab bundles it when it loads the workshop, and the hello lesson's first step uses it.
 */
const REPLICAS_CHECKER = `// A checker of this workshop's own: lessons name it by its id, like a built-in checker.
// kubelab bundles every file in checkers/ when it loads the workshop, so there is nothing to build
// or install; \`kubelab/checker\` gives defineChecker, the result helpers and zod's z.
import { defineChecker, getJson, pass, pending, z } from 'kubelab/checker';

interface Deployment {
  status?: { readyReplicas?: number };
}

export const replicasAtLeast = defineChecker({
  id: 'replicas-at-least',
  description: 'A Deployment has at least a number of ready replicas.',
  // Checked by kubelab lint against each step's args.
  args: z
    .object({
      name: z.string().min(1),
      namespace: z.string().min(1),
      min: z.number().int().min(1),
    })
    .strict(),
  // Every change to the Deployment re-runs the check while kubelab waits for it to pass.
  watch: (args) => [{ path: \`/apis/apps/v1/namespaces/\${args.namespace}/deployments\`, query: { fieldSelector: \`metadata.name=\${args.name}\` } }],
  async run(ctx, args) {
    const deployment = await getJson<Deployment>(ctx.kubeConfig, \`/apis/apps/v1/namespaces/\${args.namespace}/deployments/\${args.name}\`, {}, ctx.signal);
    // Not there yet, or too few ready: pending, so kubelab keeps waiting until the step's timeout.
    if (!deployment) return pending(\`no Deployment \${args.name} in \${args.namespace}\`);
    const ready = deployment.status?.readyReplicas ?? 0;
    const message = \`Deployment \${args.name}: \${ready} ready replica(s)\`;
    if (ready >= args.min) return pass(message);
    return pending(message, { expected: \`at least \${args.min} ready\`, actual: \`\${ready} ready\`, hint: \`kubectl get pods -n \${args.namespace} shows why pods are not ready.\` });
  },
});
`;

const readme = (title: string) => `# ${title}

A hands-on Kubernetes workshop, run and checked by kubelab.

## Take the workshop

\`\`\`bash
npx kubelab cluster up --provider local   # or kind, or --kubeconfig for a cluster you have
npx kubelab --workshop .
\`\`\`

## Write lessons

\`\`\`bash
npx kubelab new lesson my-next-lesson     # adds lessons/NN-my-next-lesson and lists it
npx kubelab lint --workshop .             # every problem with its file:line:col
npx kubelab validate --workshop . --prove # runs every lesson; proves each check can fail
\`\`\`

Each lesson is \`lessons/<folder>/lesson.md\`; the format is in kubelab's docs/lesson-format.md.
When the built-in checks cannot say what a step should have done, write a checker of your own in
\`checkers/\`: \`checkers/replicas-at-least.ts\` is an example, used by the hello lesson's first step.
kubelab loads every TypeScript file there with the workshop; there is nothing to build.
CI runs the same lint and validate on every pull request (.github/workflows/kubelab.yml).

## Add a language

A translation sits beside its lesson: \`lessons/01-hello/lesson.fr.md\` is the hello lesson in
French. To add one, copy lesson.md, translate the title, the prose and the hints, keep every
command block and the checks as they are, and add \`translatedFrom:\` to its frontmatter with the
hash \`npx kubelab lint --workshop .\` prints. From then on lint tells you when a command or a step differs from lesson.md,
and when lesson.md changed since the translation was reviewed. Learners pick the language with
\`--lang fr\`, the \`L\` key in the app, or their locale (\`LANG=fr_FR.UTF-8\`).
`;

function newLessonMarkdown(id: string, title: string): string {
  return `---
id: ${id}
title: ${title}
minutes: 10
tools: [kubectl]
---

# ${title}

What the learner does in this lesson, and why.

## First step

Tell the learner what to do, then give the commands.

\`\`\`bash
kubectl get namespaces
\`\`\`

\`\`\`yaml step
checks:
  # Replace with a check of what this step changes (kubelab lint lists the checkers), then remove
  # "unprovable": validate --prove reports every check that cannot fail before its step.
  - check: api-reachable
    unprovable: "placeholder: the lesson author has not written this step's check yet"
hints:
  - A first hint.
\`\`\`
`;
}

async function writeNew(path: string, text: string): Promise<void> {
  // 'wx': never overwrite what an author already has.
  await writeFile(path, text, { flag: 'wx' });
}

export interface InitResult {
  dir: string;
  id: string;
  files: string[];
}

/** Refuses a folder that already holds anything but dotfiles (a fresh `git init` is fine). */
export async function initWorkshop(dir: string, options: Partial<WorkflowOptions> & { title?: string } = {}): Promise<InitResult> {
  const workflow: WorkflowOptions = {
    kubelabVersion: options.kubelabVersion ?? KUBELAB_VERSION,
    versions: options.versions ?? controlPlaneVersions(await readFile(controlPlaneBuildScript(), 'utf8')),
  };
  if (existsSync(dir)) {
    const entries = (await readdir(dir)).filter((e) => !e.startsWith('.'));
    if (entries.length) {
      throw new UsageError(`${dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}).`, 'Choose a new folder: kubelab init my-workshop');
    }
    if (existsSync(join(dir, '.github', 'workflows', 'kubelab.yml'))) throw new UsageError(`${dir} already has .github/workflows/kubelab.yml.`);
  }
  const id = toId(basename(dir));
  const title = options.title ?? titleOf(id);
  const lesson = '01-hello';
  const files: [string, string][] = [
    ['workshop.yaml', workshopYaml(id, title, [lesson])],
    [`lessons/${lesson}/lesson.md`, HELLO_LESSON],
    [`lessons/${lesson}/lesson.fr.md`, helloLessonFr()],
    [`lessons/${lesson}/web.yaml`, webYaml(id)],
    ['checkers/replicas-at-least.ts', REPLICAS_CHECKER],
    ['.github/workflows/kubelab.yml', workflowFile(workflow)],
    ['README.md', readme(title)],
  ];
  for (const [file, text] of files) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeNew(join(dir, file), text);
  }
  return { dir, id, files: files.map(([f]) => f) };
}

export interface NewLessonResult {
  folder: string;
  id: string;
  file: string;
}

/**
 * Adds lessons/<folder>/lesson.md and appends the folder to workshop.yaml's list, keeping the
 * author's comments and formatting there. When the existing folders are numbered (01-…, 02-…),
 * the new one takes the next number in the same width.
 */
export async function addLesson(workshopDir: string, name: string): Promise<NewLessonResult> {
  const manifest = join(workshopDir, 'workshop.yaml');
  if (!existsSync(manifest)) throw new UsageError(`${workshopDir} has no workshop.yaml.`, 'Run it in a workshop folder, give --workshop DIR, or start one with: kubelab init DIR');
  const doc = parseDocument(await readFile(manifest, 'utf8'));
  if (doc.errors.length) throw new UsageError(`${manifest}: ${doc.errors[0].message}`, 'Fix it, then run: kubelab lint');
  const lessons = doc.get('lessons');
  if (!isSeq(lessons)) throw new UsageError(`${manifest} has no "lessons:" list.`, 'Add one: lessons: [01-hello]');
  const existing = lessons.items.map((item) => String((item as { value?: unknown }).value ?? item));

  const id = toId(name.replace(/^\d+-/, ''));
  const numbered = existing.map((f) => /^(\d+)-/.exec(f)).filter((m): m is RegExpExecArray => m !== null);
  let folder = toId(name);
  if (!/^\d+-/.test(folder) && existing.length > 0 && numbered.length === existing.length) {
    const next = Math.max(...numbered.map((m) => Number(m[1]))) + 1;
    folder = `${String(next).padStart(numbered[0][1].length, '0')}-${folder}`;
  }
  if (existing.includes(folder)) throw new UsageError(`workshop.yaml already lists the lesson ${folder}.`);
  const lessonDir = join(workshopDir, 'lessons', folder);
  if (existsSync(lessonDir)) throw new UsageError(`${relative(workshopDir, lessonDir)} already exists.`, 'Add it to workshop.yaml\'s lessons list, or choose another name.');

  await mkdir(lessonDir, { recursive: true });
  const file = join(lessonDir, 'lesson.md');
  await writeNew(file, newLessonMarkdown(id, titleOf(id)));
  lessons.add(doc.createNode(folder));
  await writeFile(manifest, doc.toString({ flowCollectionPadding: false }));
  return { folder, id, file };
}
