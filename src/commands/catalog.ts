/**
 * Every kubelab command, declared once. Help, usage errors and shell completion are generated from
 * these declarations. This file is data only: it imports no command module (commands/modules.ts
 * loads those), so every command module can import its declaration from here without a cycle,
 * and `--help` loads nothing heavy.
 */
import { PROVIDER_NAMES } from '../engine/types.js';
import { LINT_REPORTER_NAMES, REPORTER_NAMES } from '../services/reporters.js';
import type { CommandSpec, FlagSpec } from './declare.js';

/** Where the lessons come from and which cluster they run on (list, validate, check, reset, the app). */
export const CONNECTION_FLAGS = {
  workshop: { type: 'string', value: 'DIR', complete: 'dir', help: 'another workshop folder (default: the bundled EKS workshop)' },
  provider: { type: 'string', value: 'NAME', choices: PROVIDER_NAMES, help: 'the cluster kind: local (offline, the default), kind, eks, existing' },
  kubeconfig: { type: 'string', value: 'FILE', complete: 'file', help: 'use a cluster you already have from this kubeconfig (provider "existing")' },
  context: { type: 'string', value: 'NAME', help: 'the context to use in that kubeconfig (provider "existing")' },
  name: { type: 'string', value: 'NAME', help: "the cluster's name (default: the provider's usual one)" },
  lang: { type: 'string', value: 'LANG', choices: ['en', 'fr'], help: 'the language lessons and messages are shown in (default: LC_ALL, LC_MESSAGES or LANG, else English)' },
} as const satisfies Record<string, FlagSpec>;

const SHARED = Object.keys(CONNECTION_FLAGS);

export const APP = {
  name: 'app',
  hidden: true,
  summary: 'open the workshop app (interactive terminal)',
  flags: CONNECTION_FLAGS,
  sharedFlags: SHARED,
  examples: ['kubelab', 'kubelab --provider kind', 'kubelab --kubeconfig ~/.kube/config --context staging'],
} as const satisfies CommandSpec;

export const LIST = {
  name: 'list',
  summary: 'lessons and your progress',
  flags: {
    json: { type: 'boolean', help: 'print JSON (for scripts)' },
    probe: { type: 'boolean', help: 'ask the cluster where each lesson stands, and resume from there' },
    ...CONNECTION_FLAGS,
  },
  sharedFlags: SHARED,
  examples: ['kubelab list', 'kubelab list --probe --json'],
} as const satisfies CommandSpec;

export const LINT = {
  name: 'lint',
  summary: "check the workshop's lesson files (path:line:col: message)",
  flags: {
    workshop: CONNECTION_FLAGS.workshop,
    json: { type: 'boolean', help: 'print JSON (for scripts)' },
    reporter: { type: 'string', value: 'NAME', choices: LINT_REPORTER_NAMES, multiple: true, help: 'github: also print GitHub Actions annotations on stdout' },
  },
  examples: ['kubelab lint', 'kubelab lint --workshop ./my-workshop --json', 'kubelab lint --workshop . --reporter github'],
} as const satisfies CommandSpec;

export const VALIDATE = {
  name: 'validate',
  summary: 'run lessons headless: commands, then checks (for CI)',
  args: [{ name: 'LESSON', variadic: true, help: 'lessons to run, by id (default: all of them)' }],
  flags: {
    reporter: { type: 'string', value: 'NAME', choices: REPORTER_NAMES, default: 'pretty', multiple: true, help: 'how to report the results; add --reporter github for GitHub Actions annotations' },
    output: { type: 'string', value: 'FILE', complete: 'file', help: 'write the report to FILE (a summary still goes to stderr)' },
    bail: { type: 'boolean', help: 'stop at the first failed lesson' },
    prove: { type: 'boolean', help: "also show every check fails before its step (a check that cannot fail proves nothing)" },
    verbose: { type: 'boolean', short: 'v', help: "print each command's output as it runs" },
    watch: { type: 'boolean', help: 'keep running: on each save, re-lint and re-run the lesson the file belongs to' },
    shard: { type: 'string', value: 'I/N', help: 'run only part I of N of the lessons (one CI matrix job each; their reports add up to the whole run)' },
    ...CONNECTION_FLAGS,
  },
  sharedFlags: SHARED,
  examples: [
    'kubelab validate --provider local --prove',
    'kubelab validate --workshop ./scenarios --shard 2/4 --reporter junit --output junit-2.xml',
    'kubelab validate --workshop ./my-workshop --watch',
    'kubelab validate rbac --verbose',
    'kubelab validate --reporter junit --output report.xml',
    'kubelab validate --workshop . --prove --reporter junit --output report.xml --reporter github',
  ],
} as const satisfies CommandSpec;

export const CHECK = {
  name: 'check',
  summary: 'only the checks, against the cluster as it is',
  args: [{ name: 'LESSON[/STEP]', required: true, help: 'a lesson, or one step of it' }],
  flags: {
    json: { type: 'boolean', help: 'print JSON (for scripts)' },
    wait: { type: 'string', value: 'SECONDS', default: '0', number: { min: 0, max: 86_400 }, help: 'keep watching up to SECONDS for the checks to pass' },
    ...CONNECTION_FLAGS,
  },
  sharedFlags: SHARED,
  examples: ['kubelab check microservices', 'kubelab check rbac/grant-role --wait 30'],
} as const satisfies CommandSpec;

export const RESET = {
  name: 'reset',
  summary: 'forget your progress in a lesson',
  args: [{ name: 'LESSON', required: true, help: 'the lesson, by id' }],
  flags: {
    cleanup: { type: 'boolean', help: 'also delete what the lesson created in the cluster' },
    ...CONNECTION_FLAGS,
  },
  sharedFlags: SHARED,
  examples: ['kubelab reset rbac', 'kubelab reset microservices --cleanup'],
} as const satisfies CommandSpec;

export const CATCH_UP = {
  name: 'catch-up',
  summary: "bring the cluster to where a step starts: run the earlier steps for you (marked caught up)",
  args: [{ name: 'LESSON[/STEP]', required: true, help: 'the lesson (its start), or the step to be ready for' }],
  flags: {
    json: { type: 'boolean', help: 'print JSON (for scripts)' },
    ...CONNECTION_FLAGS,
  },
  sharedFlags: SHARED,
  examples: ['kubelab catch-up rbac', 'kubelab catch-up microservices/scale-up', 'kubelab catch-up rbac/grant-role --name walk2'],
} as const satisfies CommandSpec;

export const BUNDLE = {
  name: 'bundle',
  summary: 'write a support bundle (versions, doctor, progress, last step, cluster, logs), secrets redacted',
  flags: {
    output: { type: 'string', value: 'FILE', complete: 'file', help: 'where to write it (default: kubelab-bundle-<time>.tar.gz here)' },
    ...CONNECTION_FLAGS,
  },
  sharedFlags: SHARED,
  examples: ['kubelab bundle', 'kubelab bundle --output /tmp/for-the-instructor.tar.gz'],
} as const satisfies CommandSpec;

const CLUSTER_PROVIDER = { ...CONNECTION_FLAGS.provider, default: 'local', help: 'the cluster kind: local (offline), kind, eks, existing' } as const satisfies FlagSpec;
const CLUSTER_NAME = CONNECTION_FLAGS.name;
const CLUSTER_YES = { type: 'boolean', short: 'y', help: 'do not ask before creating or deleting anything (EKS costs money)' } as const satisfies FlagSpec;

export const CLUSTER_UP = {
  name: 'up',
  summary: 'start a cluster (or reuse the one that is up)',
  flags: {
    provider: CLUSTER_PROVIDER,
    name: CLUSTER_NAME,
    nodes: { type: 'string', value: 'N', default: '3', number: { min: 1, max: 100, integer: true }, help: 'how many nodes (1 to 100)' },
    'merge-kubeconfig': { type: 'boolean', help: 'also add the cluster to ~/.kube/config (kubelab never touches it otherwise)' },
    yes: CLUSTER_YES,
  },
  examples: ['kubelab cluster up', 'kubelab cluster up --provider eks --nodes 2 --yes'],
} as const satisfies CommandSpec;

export const CLUSTER_DOWN = {
  name: 'down',
  summary: 'stop a cluster and remove everything kubelab created for it',
  flags: { provider: CLUSTER_PROVIDER, name: CLUSTER_NAME, yes: CLUSTER_YES },
  examples: ['kubelab cluster down', 'kubelab cluster down --provider eks --name team-a'],
} as const satisfies CommandSpec;

export const CLUSTER_STATUS = {
  name: 'status',
  summary: 'whether a cluster is up, each of its parts, and its kubeconfig (exit 0 when up; 3 when it is down, missing or broken)',
  flags: { provider: CLUSTER_PROVIDER, name: CLUSTER_NAME, json: { type: 'boolean', help: 'print JSON (for scripts)' } },
  examples: ['kubelab cluster status', 'kubelab cluster status --provider eks --json'],
} as const satisfies CommandSpec;

export const CLUSTER = {
  name: 'cluster',
  summary: 'start, stop or inspect the cluster lessons run on',
  flags: {},
  subcommands: [CLUSTER_UP, CLUSTER_DOWN, CLUSTER_STATUS],
} as const satisfies CommandSpec;

export const CLASS_SERVE = {
  name: 'serve',
  summary: "run a class: prints the learners' join line and a one-time link to the web view, then a live view of the room",
  flags: {
    name: { type: 'string', value: 'CLASS', default: 'class', help: 'the class name (letters, digits, - and _); the same name reopens it' },
    host: { type: 'string', value: 'ADDRESS', default: '127.0.0.1', help: 'where to listen (0.0.0.0 accepts other machines)' },
    port: { type: 'string', value: 'PORT', default: '7420', number: { min: 0, max: 65_535, integer: true }, help: 'the port to listen on (0 picks a free one)' },
    'stuck-minutes': { type: 'string', value: 'MINUTES', default: '5', number: { min: 0.1, max: 24 * 60 }, help: 'a learner on one step this long is shown as stuck' },
  },
  examples: ['kubelab class serve --name room-1', 'kubelab class serve --name room-1 --host 0.0.0.0'],
} as const satisfies CommandSpec;

export const CLASS_JOIN = {
  name: 'join',
  summary: 'share your progress with a class',
  args: [{ name: 'URL', required: true, help: "the class's address, from the instructor's join line" }],
  flags: {
    token: { type: 'string', value: 'TOKEN', required: true, help: "the class token, from the instructor's join line" },
    name: { type: 'string', value: 'NAME', help: 'your name as the instructor sees it (default: your user name)' },
  },
  examples: ['kubelab class join http://10.0.0.5:7420 --token abc123 --name "Ada"'],
} as const satisfies CommandSpec;

export const CLASS_LEAVE = {
  name: 'leave',
  summary: 'stop sharing your progress',
  flags: {},
} as const satisfies CommandSpec;

export const CLASS_STATUS = {
  name: 'status',
  summary: "the class's live table, once (for scripts, or a second screen)",
  args: [{ name: 'URL', required: true, help: "the class's address" }],
  flags: {
    token: { type: 'string', value: 'TOKEN', required: true, help: 'the instructor token; class serve says where it is kept' },
    json: { type: 'boolean', help: 'print JSON (for scripts)' },
  },
  examples: ['kubelab class status http://127.0.0.1:7420 --token "$(cat ~/.local/state/kubelab/classes/room-1.instructor-token)"'],
} as const satisfies CommandSpec;

export const CLASS_EXPORT = {
  name: 'export',
  summary: "the session's record: learners, steps reached, time per step, checks failed most, hints (CSV and JSON)",
  flags: {
    name: { type: 'string', value: 'CLASS', default: 'class', help: 'the class, as named to class serve' },
    output: { type: 'string', value: 'DIR', default: '.', help: 'the folder to write CLASS-record.json, CLASS-learners.csv, CLASS-steps.csv, CLASS-checks.csv into' },
  },
  examples: ['kubelab class export --name room-1', 'kubelab class export --name room-1 --output ~/workshops/2026-03'],
} as const satisfies CommandSpec;

export const CLASS = {
  name: 'class',
  summary: "an instructor's live view of the room",
  flags: {},
  subcommands: [CLASS_SERVE, CLASS_JOIN, CLASS_LEAVE, CLASS_STATUS, CLASS_EXPORT],
} as const satisfies CommandSpec;

export const COMPLETION = {
  name: 'completion',
  summary: 'print a shell completion script',
  args: [{ name: 'SHELL', required: true, help: 'bash, zsh or fish' }],
  flags: {},
  examples: [
    'kubelab completion bash > ~/.local/share/bash-completion/completions/kubelab',
    'kubelab completion zsh > "${fpath[1]}/_kubelab"',
    'kubelab completion fish > ~/.config/fish/completions/kubelab.fish',
  ],
} as const satisfies CommandSpec;

export const DOCTOR = {
  name: 'doctor',
  summary: 'what is installed, what is missing, and the command that fixes each',
  flags: { json: { type: 'boolean', help: 'print JSON (for scripts)' } },
  examples: ['kubelab doctor', 'kubelab doctor --json'],
} as const satisfies CommandSpec;

export const INIT = {
  name: 'init',
  summary: 'start a workshop of your own: a checked lesson, a CI workflow, a README',
  args: [{ name: 'DIR', help: 'a new or empty folder (default: the current one)' }],
  flags: { title: { type: 'string', value: 'TEXT', help: "the workshop's title (default: from the folder's name)" } },
  examples: ['kubelab init my-workshop', 'kubelab init . --title "Kubernetes for data teams"'],
} as const satisfies CommandSpec;

export const NEW_LESSON = {
  name: 'lesson',
  summary: "add a lesson with one step, listed last in workshop.yaml",
  args: [{ name: 'NAME', required: true, help: 'the lesson name; numbered like the others (02-…) when they are numbered' }],
  flags: { workshop: { ...CONNECTION_FLAGS.workshop, help: 'the workshop folder (default: the current one)' } },
  examples: ['kubelab new lesson "scale it up"', 'kubelab new lesson ingress --workshop ./my-workshop'],
} as const satisfies CommandSpec;

export const NEW = {
  name: 'new',
  summary: 'add to the workshop you are writing',
  flags: {},
  subcommands: [NEW_LESSON],
} as const satisfies CommandSpec;

/** Every command, in the order the top help lists them (the app, hidden, last). */
export const COMMANDS = [LIST, LINT, VALIDATE, CHECK, RESET, CATCH_UP, CLUSTER, CLASS, INIT, NEW, COMPLETION, DOCTOR, BUNDLE, APP] as const satisfies readonly CommandSpec[];

/** A command's name, as typed after `kubelab`. */
export type CommandName = (typeof COMMANDS)[number]['name'];
