import { z } from 'zod';
import { defineChecker, fail, pass, pending } from '../src/engine/checker.js';
import { findOnPath, INSTALL_HINTS } from '../src/engine/tools.js';

export const toolsInstalled = defineChecker({
  id: 'tools-installed',
  description: 'The command-line tools the lesson uses are on PATH.',
  args: z.object({ tools: z.array(z.string().min(1)).min(1) }).strict(),
  needsCluster: false,
  async run(ctx, args) {
    const path = { PATH: `${ctx.variables.PATH ?? process.env.PATH}` };
    const missing = args.tools.filter((t) => !findOnPath(t, path));
    if (missing.length === 0) return pass(`all ${args.tools.length} tools found: ${args.tools.join(', ')}`);
    return fail(`missing: ${missing.join(', ')}`, {
      expected: args.tools.join(', '),
      actual: args.tools.filter((t) => !missing.includes(t)).join(', ') || 'none',
      hint: missing.map((t) => `${t}: ${INSTALL_HINTS[t] ?? 'install it and open a new terminal'}`).join('; '),
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
    if (args.minMinor && minor < args.minMinor) {
      return fail(`the API server runs Kubernetes ${info.gitVersion}, older than this workshop needs`, { expected: `1.${args.minMinor} or newer`, actual: info.gitVersion });
    }
    return pass(`${server} answers: Kubernetes ${info.gitVersion} (context ${ctx.kubeConfig.getCurrentContext()})`);
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
    const message = `${ready.length}/${args.count} nodes Ready`;
    if (ready.length >= args.count) return pass(`${message}: ${ready.map((n) => n.metadata?.name).join(', ')}`);
    if (nodes.length > ready.length) return pending(message, { expected: `${args.count} Ready`, actual: `${ready.length} Ready of ${nodes.length}` });
    return pending(message, { expected: `${args.count} Ready`, actual: `${nodes.length} nodes`, hint: 'Nodes join a few minutes after the cluster is created; on EKS check the node group in the console.' });
  },
});

export const checkers = [toolsInstalled, apiReachable, nodesReady];
