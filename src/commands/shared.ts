import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, EnvironmentError } from '../errors.js';
import { formatDiagnostic } from '../engine/diagnostics.js';
import { loadWorkshop } from '../engine/workshop.js';
import { PROVIDER_NAMES, type ProviderName, type Workshop } from '../engine/types.js';
import type { ClusterConnection, ProviderIO } from '../providers/types.js';
import { getProvider } from '../providers/index.js';
import type { CommandContext } from './context.js';

/** The folder kubelab is installed in (holds workshop.yaml, lessons/ and checkers/). */
export function kubelabHome(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'kubelab') return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the kubelab installation folder');
}

export async function openWorkshop(dir: string | undefined, context: CommandContext): Promise<Workshop> {
  const root = dir ? resolve(context.cwd, dir) : kubelabHome();
  const { workshop, diagnostics } = await loadWorkshop(root);
  for (const d of diagnostics.items) context.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!workshop || diagnostics.hasErrors) throw new UsageError(`The workshop in ${root} has errors (listed above).`, 'Fix them, then run: kubelab lint');
  return workshop;
}

export function parseProvider(name: string | undefined): ProviderName | undefined {
  if (name === undefined) return undefined;
  if (!(PROVIDER_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`Unknown provider "${name}". Providers: ${PROVIDER_NAMES.join(', ')}.`);
  }
  return name as ProviderName;
}

export function providerIO(context: CommandContext, yes = false): ProviderIO {
  return {
    signal: context.signal,
    log: (line) => context.stderr.write(`${line}\n`),
    confirm: yes ? async () => true : undefined,
    env: context.env,
  };
}

export interface ConnectionFlags {
  provider?: string;
  kubeconfig?: string;
  context?: string;
  name?: string;
}

/** The cluster lessons and checks use: --kubeconfig/--context mean "existing", else the provider's. */
export async function resolveConnection(flags: ConnectionFlags, context: CommandContext, remembered?: string): Promise<ClusterConnection> {
  let providerName = parseProvider(flags.provider) ?? (flags.kubeconfig || flags.context ? 'existing' : (parseProvider(remembered) ?? 'local'));
  const provider = await getProvider(providerName);
  const io = providerIO(context);
  const env = { ...context.env };
  if (flags.kubeconfig) env.KUBECONFIG = resolve(context.cwd, flags.kubeconfig);
  if (flags.context) env.KUBELAB_EXISTING_CONTEXT = flags.context;
  const connection = await provider.connection({ name: flags.name ?? provider.defaultName }, { ...io, env });
  if (!connection) {
    throw new EnvironmentError(
      `No ${providerName} cluster named "${flags.name ?? provider.defaultName}" is up.`,
      `Start one with: kubelab cluster up --provider ${providerName}`,
    );
  }
  return connection;
}
