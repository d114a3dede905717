import { z } from 'zod';
import { converging, defineChecker, missing, pass, pending, wrong, type CheckContext } from '../src/engine/checker.js';
import { firstStillWorking } from '../src/engine/running/settle.js';
import { Redactor } from '../src/engine/running/redact.js';
import { runBlock } from '../src/engine/running/runner.js';
import { apiVersionOf, getJson, listPath, objectName, resolveKind, WELL_KNOWN_KINDS, type KubeObject, type ResolvedKind } from './dynamic.js';
import { labelSelector, say, selectorText } from './support.js';
import { countMismatch, countSchema, describeDifferences, matchPartial, patternProblem, show, textMatches, type Difference, type MatchOptions } from './match.js';

/** Every `/regex/` string in a match fragment must compile: lint says so before anything runs. */
function badPatterns(value: unknown, path: string[] = []): { path: string[]; message: string }[] {
  if (typeof value === 'string') {
    const problem = patternProblem(value);
    return problem ? [{ path, message: `not a valid pattern: ${problem}` }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => badPatterns(v, [...path, String(i)]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => badPatterns(v, [...path, k]));
  return [];
}

const pattern = z.string().min(1).superRefine((value, ctx) => {
  const problem = patternProblem(value);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not a valid pattern: ${problem}` });
});

const kindRef = {
  apiVersion: z.string().min(1).optional(),
  kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'a kind as in the manifest, e.g. ConfigMap'),
};

function requireApiVersion(value: { apiVersion?: string; kind: string }, ctx: z.RefinementCtx, path: (string | number)[] = []): void {
  if (!value.apiVersion && !WELL_KNOWN_KINDS[value.kind]) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...path, 'apiVersion'], message: `say the apiVersion of ${value.kind} (e.g. apiVersion: example.com/v1); kubelab knows it only for ${Object.keys(WELL_KNOWN_KINDS).length} built-in kinds` });
  }
}

const resourceArgs = z
  .object({
    ...kindRef,
    namespace: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    /** Label selector, as kubectl -l takes it: "app=web,tier!=cache"; "" (or leaving it out) selects every object of the kind. */
    selector: z.union([z.literal(''), labelSelector]).optional(),
    match: z.record(z.unknown()).optional(),
    count: countSchema.optional(),
    absent: z.literal(true).optional(),
  })
  .strict()
  .superRefine((args, ctx) => {
    requireApiVersion(args, ctx);
    if (args.name && args.selector) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['selector'], message: 'give name or selector, not both' });
    if (args.count !== undefined && args.name) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['count'], message: 'count is for selector queries; with a name, use absent: true for "does not exist"' });
    if (args.absent && args.count !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['absent'], message: 'absent: true is count: 0; give one of them' });
    for (const bad of badPatterns(args.match)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['match', ...bad.path], message: bad.message });
  });
type ResourceArgs = z.infer<typeof resourceArgs>;

/** Secret data is base64 on the wire and secret in meaning: compare decoded, never print it. */
function matchOptionsFor(kind: string): MatchOptions {
  if (kind !== 'Secret') return {};
  const isData = (path: string[]) => path.length === 2 && (path[0] === 'data' || path[0] === 'stringData');
  return {
    hidden: (path) => path[0] === 'data' || path[0] === 'stringData',
    transform: (path, value) => (isData(path) && path[0] === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value),
  };
}

/** A Secret's stringData in the lesson means data on the server: the API never returns stringData. */
function normaliseMatch(kind: string, match: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!match || kind !== 'Secret' || !match.stringData) return match;
  const { stringData, ...rest } = match;
  return { ...rest, data: { ...(rest.data as object), ...(stringData as object) } };
}

function describeSelection(args: ResourceArgs, kind: string): string {
  const where = args.namespace ? ` in ${args.namespace}` : '';
  const selector = selectorText(args.selector);
  return `${kind}${selector ? ` with ${selector}` : ''}${where}`;
}

async function namespacesHolding(ctx: CheckContext, kind: ResolvedKind, name: string): Promise<string[]> {
  const list = await getJson<{ items: KubeObject[] }>(ctx.kubeConfig, listPath(kind), { fieldSelector: `metadata.name=${name}` }, ctx.signal);
  return (list?.items ?? []).map((i) => i.metadata?.namespace ?? '').filter(Boolean);
}

export const resource = defineChecker({
  id: 'resource',
  description: 'Objects of any kind (CRDs too) exist, or do not, and hold the fields of a partial object: maps as subsets, lists as "contains", strings equal or a comparison (">= 2") or a /pattern/.',
  args: resourceArgs,
  async watch(args, ctx) {
    const kind = await resolveKind(ctx.kubeConfig, args, ctx.signal);
    // Before a CRD is installed there is nothing to watch: the poll below covers that case.
    if (!kind) return [];
    const namespace = kind.namespaced ? (args.namespace ?? 'default') : undefined;
    const query: Record<string, string> = {};
    if (args.name) query.fieldSelector = `metadata.name=${args.name}`;
    const selector = selectorText(args.selector);
    if (selector) query.labelSelector = selector;
    return [{ path: listPath(kind, namespace), query }];
  },
  // A kind not served yet (its CRD comes with the step) cannot be watched; look again now and then.
  pollIntervalMs: 5000,
  async run(ctx, args) {
    const { t } = say(ctx);
    const kind = await resolveKind(ctx.kubeConfig, args, ctx.signal);
    const apiVersion = apiVersionOf(args);
    if (!kind) return pending(t('checker.resource.unserved', { kind: args.kind, apiVersion }), { hint: t('checker.resource.unserved.hint') });
    const namespace = kind.namespaced ? (args.namespace ?? 'default') : undefined;
    const options = matchOptionsFor(args.kind);
    const match = normaliseMatch(args.kind, args.match);

    if (args.name) {
      const label = objectName(args.kind, args.name, namespace);
      const object = await getJson<KubeObject>(ctx.kubeConfig, `${listPath(kind, namespace)}/${args.name}`, {}, ctx.signal);
      if (args.absent) {
        if (!object) return pass(t('checker.resource.absent', { label }));
        if (object.metadata?.deletionTimestamp) return converging(t('checker.resource.terminating', { label }), t('checker.resource.deleting', { label }), { expected: t('checker.resource.absentLabel'), actual: t('checker.resource.existsTerminating') });
        return wrong(t('checker.resource.stillExists', { label }), { expected: t('checker.resource.absentLabel'), actual: t('checker.resource.existsLabel') });
      }
      if (!object) {
        const elsewhere = kind.namespaced ? (await namespacesHolding(ctx, kind, args.name)).filter((ns) => ns !== namespace) : [];
        if (elsewhere.length) {
          return wrong(t('checker.resource.elsewhere', { label, elsewhere: elsewhere.join(', ') }), { expected: t('checker.namespace', { namespace: namespace ?? '' }), actual: t('checker.namespace', { namespace: elsewhere.join(', ') }), hint: t('checker.resource.elsewhere.hint', { namespace: namespace ?? '' }) });
        }
        return missing(t('checker.resource.absent', { label }), { expected: t('checker.resource.existsLabel'), actual: t('checker.resource.notFound') });
      }
      const diffs = match ? matchPartial(match, object, options) : [];
      if (diffs.length === 0) return pass(match ? t('checker.resource.matches', { label, fields: Object.keys(match).join(', ') }) : t('checker.resource.exists', { label }));
      return differs(`${label}: ${describeDifferences(diffs)}`, [object], args.kind, expectedActual(diffs));
    }

    const list = await getJson<{ items: KubeObject[] }>(ctx.kubeConfig, listPath(kind, namespace), { labelSelector: selectorText(args.selector) }, ctx.signal);
    const items = list?.items ?? [];
    const what = describeSelection({ ...args, namespace }, args.kind);
    const matching = match ? items.filter((i) => matchPartial(match, i, options).length === 0) : items;
    const names = (objects: KubeObject[]) => objects.map((o) => o.metadata?.name).join(', ');
    const expectedCount = args.absent ? 0 : args.count;
    // Of the objects that do not match, the closest: the author most likely meant that one.
    const closest = () =>
      items
        .filter((item) => !matching.includes(item))
        .map((item) => ({ item, diffs: matchPartial(match, item, options) }))
        .sort((a, b) => a.diffs.length - b.diffs.length)[0];
    if (expectedCount !== undefined) {
      const mismatch = countMismatch(expectedCount, matching.length);
      const counted = `${matching.length} ${what}${match ? ' matching' : ''}${matching.length ? ` (${names(matching)})` : ''}`;
      if (mismatch === undefined) return pass(counted);
      const near = match ? closest() : undefined;
      const why = near ? `; ${objectName(args.kind, near.item.metadata?.name ?? '?', namespace)}: ${describeDifferences(near.diffs)}` : '';
      const extra = { expected: `${mismatch}${near ? `\n${expectedActual(near.diffs).expected}` : ''}`, actual: `${matching.length}${near ? `\n${expectedActual(near.diffs).actual}` : ''}` };
      if (items.length === 0) return missing(`${counted}, expected ${mismatch}`, extra);
      return differs(`${counted}, expected ${mismatch}${why}`, items, args.kind, extra);
    }
    if (matching.length > 0) return pass(`${matching.length} ${what}${match ? ` matching ${Object.keys(match).join(', ')}` : ''}: ${names(matching)}`);
    if (items.length === 0) return missing(t('checker.resource.none', { what }), { expected: t('checker.resource.atLeastOne'), actual: t('checker.none') });
    const near = closest();
    return differs(`no ${what} matches; ${objectName(args.kind, near.item.metadata?.name ?? '?', namespace)}: ${describeDifferences(near.diffs)}`, items, args.kind, expectedActual(near.diffs));
  },
});

/**
 * The objects are there but not as expected: wrong, unless a controller is still working on one
 * of them (then the answer may still change, and it is waited for).
 */
function differs(message: string, objects: KubeObject[], kind: string, extra: { expected: string; actual: string }) {
  const working = firstStillWorking(objects, kind);
  return working ? converging(message, working, extra) : wrong(message, extra);
}

function expectedActual(diffs: Difference[]): { expected: string; actual: string } {
  return {
    expected: diffs.map((d) => `${d.path}: ${d.expected}`).join('\n'),
    actual: diffs.map((d) => `${d.path}: ${d.found ?? 'missing'}`).join('\n'),
  };
}

const commandArgs = z
  .object({
    /** Run with bash, from the lesson folder, with the lesson's variables and kubeconfig. */
    run: z.string().min(1),
    exitCode: z.number().int().min(0).max(255).default(0),
    /** Substring or /pattern/ the output (stdout) must contain. */
    stdout: pattern.optional(),
    /** A partial object the output, read as JSON (-o json), must match. */
    json: z.record(z.unknown()).optional(),
    /** Seconds between tries while waiting (the command cannot be watched). */
    interval: z.number().min(0.2).max(300).default(2),
    /** Seconds one try may take before it is killed. */
    timeout: z.number().positive().max(600).default(30),
  })
  .strict()
  .superRefine((args, ctx) => {
    for (const bad of badPatterns(args.json)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['json', ...bad.path], message: bad.message });
  });

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}

export const command = defineChecker({
  id: 'command',
  description: 'A command (not shown to the learner) exits with the expected code, and its output contains a text, matches a /pattern/, or as JSON matches a partial object. Polled every `interval` seconds.',
  args: commandArgs,
  pollIntervalMs: (args) => args.interval * 1000,
  async run(ctx, args) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    Object.assign(env, ctx.variables);
    const result = await runBlock(args.run, { env, cwd: ctx.lessonDir }, {
      timeoutMs: args.timeout * 1000,
      expect: 'success',
      signal: ctx.signal,
      redactor: Redactor.fromEnv(env),
      onLine: (stream, line) => (stream === 'stdout' ? stdout : stderr).push(line),
    });
    const shown = firstLine(args.run);
    const out = stdout.join('\n');
    if (result.outcome === 'aborted') return pending('interrupted');
    if (result.outcome === 'timeout') return pending(`\`${shown}\` did not finish within ${args.timeout} s`);
    if (result.exitCode !== args.exitCode) {
      const said = firstLine(stderr.join('\n')) || firstLine(out);
      return pending(`\`${shown}\` exited with ${result.exitCode}, expected ${args.exitCode}${said ? `: ${said}` : ''}`, { expected: `exit ${args.exitCode}`, actual: `exit ${result.exitCode}` });
    }
    if (args.stdout !== undefined && !textMatches(args.stdout, out)) {
      return pending(`the output of \`${shown}\` does not ${args.stdout.startsWith('/') ? 'match' : 'contain'} ${show(args.stdout)}${out ? `; it starts ${show(firstLine(out))}` : '; it is empty'}`, { expected: args.stdout, actual: firstLine(out) || '(empty)' });
    }
    if (args.json) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(out);
      } catch {
        return pending(`the output of \`${shown}\` is not JSON${out ? `: ${show(firstLine(out))}` : ' (empty)'}`, { hint: 'Add -o json to the kubectl command.' });
      }
      const diffs = matchPartial(args.json, parsed);
      if (diffs.length) return pending(`\`${shown}\`: ${describeDifferences(diffs)}`, expectedActual(diffs));
    }
    const checked = [`exit ${args.exitCode}`, args.stdout !== undefined && `output ${args.stdout.startsWith('/') ? 'matches' : 'contains'} ${show(args.stdout)}`, args.json && `JSON matches ${Object.keys(args.json).join(', ')}`].filter(Boolean);
    return pass(`\`${shown}\`: ${checked.join(', ')}`);
  },
});

const eventsArgs = z
  .object({
    /** The object the event is about (its involvedObject / regarding). */
    kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'a kind as in the manifest, e.g. ReplicaSet'),
    /** Exact name, or a /pattern/ (a ReplicaSet's name ends in a hash: "/^web-/"). */
    name: pattern,
    namespace: z.string().min(1).default('default'),
    reason: z.string().min(1).optional(),
    /** Substring or /pattern/ of the event's message. */
    message: pattern.optional(),
    type: z.enum(['Normal', 'Warning']).optional(),
  })
  .strict();

interface CoreEvent {
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  metadata?: { creationTimestamp?: string };
}

export const events = defineChecker({
  id: 'events',
  description: 'An event about an object (by kind and name or /pattern/) with a reason, type and message (substring or /pattern/), e.g. FailedCreate … exceeded quota.',
  args: eventsArgs,
  watch: (args) => [{ path: `/api/v1/namespaces/${args.namespace}/events`, query: { fieldSelector: `involvedObject.kind=${args.kind}` } }],
  async run(ctx, args) {
    const exactName = !args.name.startsWith('/');
    const fieldSelector = [`involvedObject.kind=${args.kind}`, exactName && `involvedObject.name=${args.name}`].filter(Boolean).join(',');
    const list = await getJson<{ items: CoreEvent[] }>(ctx.kubeConfig, `/api/v1/namespaces/${args.namespace}/events`, { fieldSelector }, ctx.signal);
    const about = (list?.items ?? []).filter((e) => (exactName ? e.involvedObject?.name === args.name : textMatches(args.name, e.involvedObject?.name ?? '')));
    const subject = `${args.kind} ${args.name} in ${args.namespace}`;
    const wanted = [args.type, args.reason, args.message && `"${args.message}"`].filter(Boolean).join(' ');
    const fits = (e: CoreEvent) =>
      (!args.reason || e.reason === args.reason) && (!args.type || e.type === args.type) && (!args.message || textMatches(args.message, e.message ?? ''));
    const found = about.find(fits);
    if (found) return pass(`${found.type ?? ''} event ${found.reason} about ${args.kind} ${found.involvedObject?.name}: ${firstLine(found.message ?? '')}`.trim());
    if (about.length === 0) return pending(`no events about ${subject} yet`, { expected: wanted || 'an event', actual: 'no events' });
    // Newest first: the latest event is the most telling about what did happen.
    const recent = [...about].sort((a, b) => eventTime(b).localeCompare(eventTime(a))).slice(0, 3);
    const seen = recent.map((e) => `${e.type} ${e.reason}: ${firstLine(e.message ?? '')}`);
    return pending(`no ${wanted} event about ${subject}; latest: ${seen.join(' | ')}`, { expected: wanted, actual: seen.join('\n') });
  },
});

function eventTime(e: CoreEvent): string {
  return e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '';
}

export const checkers = [resource, command, events];
