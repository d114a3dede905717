import { z } from 'zod';
import { defineChecker, fail, pass, pending } from '../src/engine/checker.js';
import { findOnPath, INSTALL_HINTS } from '../src/engine/running/tools.js';
import { say } from './support.js';

export const toolsInstalled = defineChecker({
  id: 'tools-installed',
  description: 'The command-line tools the lesson uses are on PATH.',
  args: z.object({ tools: z.array(z.string().min(1)).min(1) }).strict(),
  needsCluster: false,
  async run(ctx, args) {
    const path = { PATH: `${ctx.variables.PATH ?? process.env.PATH}` };
    const { t } = say(ctx);
    const missing = args.tools.filter((tool) => !findOnPath(tool, path));
    if (missing.length === 0) return pass(t('checker.tools.pass', { count: args.tools.length, tools: args.tools.join(', ') }));
    return fail(t('checker.tools.missing', { tools: missing.join(', ') }), {
      expected: args.tools.join(', '),
      actual: args.tools.filter((tool) => !missing.includes(tool)).join(', ') || t('checker.none'),
      hint: missing.map((tool) => `${tool}: ${INSTALL_HINTS[tool] ?? t('checker.tools.install')}`).join('; '),
    });
  },
});

export const apiReachable = defineChecker({
  id: 'api-reachable',
  description: 'The API server answers with the lesson’s credentials and reports its version.',
  args: z.object({ minMinor: z.number().int().positive().optional() }).strict(),
  async run(ctx, args) {
    const k8s = await import('@kubernetes/client-node');
    const info = await ctx.kubeConfig.makeApiClient(k8s.VersionApi).getCode();
    const server = ctx.kubeConfig.getCurrentCluster()?.server;
    const minor = Number.parseInt(info.minor, 10);
    const { t } = say(ctx);
    if (args.minMinor && minor < args.minMinor) {
      return fail(t('checker.api.old', { version: info.gitVersion }), { expected: t('checker.api.newer', { minor: String(args.minMinor) }), actual: info.gitVersion });
    }
    return pass(t('checker.api.pass', { server: server ?? '', version: info.gitVersion, context: ctx.kubeConfig.getCurrentContext() }));
  },
});

export const nodesReady = defineChecker({
  id: 'nodes-ready',
  description: 'The cluster has the expected number of Ready nodes.',
  args: z.object({ count: z.number().int().positive() }).strict(),
  watch: () => [{ path: '/api/v1/nodes' }],
  async run(ctx, args) {
    const k8s = await import('@kubernetes/client-node');
    const nodes = (await ctx.kubeConfig.makeApiClient(k8s.CoreV1Api).listNode()).items;
    const ready = nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    const { t } = say(ctx);
    const message = t('checker.nodes.ready', { ready: ready.length, count: args.count });
    if (ready.length >= args.count) return pass(`${message}: ${ready.map((n) => n.metadata?.name).join(', ')}`);
    if (nodes.length > ready.length) return pending(message, { expected: t('checker.nodes.expected', { count: args.count }), actual: t('checker.nodes.readyOf', { ready: ready.length, total: nodes.length }) });
    return pending(message, { expected: t('checker.nodes.expected', { count: args.count }), actual: t('checker.nodes.total', { total: nodes.length, count: nodes.length }), hint: t('checker.nodes.hint') });
  },
});

export const checkers = [toolsInstalled, apiReachable, nodesReady];
