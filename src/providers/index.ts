import { UsageError } from '../errors.js';
import { PROVIDER_NAMES, type ProviderName } from '../engine/types.js';
import type { Provider } from './types.js';

/** A provider name from a flag or a file, or a usage error listing the ones there are. */
export function parseProviderName(name: string): ProviderName {
  if (!(PROVIDER_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`Unknown provider "${name}". Providers: ${PROVIDER_NAMES.join(', ')}.`);
  }
  return name as ProviderName;
}

/**
 * Each provider's usual cluster name, known without loading the provider (the app needs it before
 * its first frame, to find the learner's progress). Each provider's `defaultName` is this.
 */
export const DEFAULT_CLUSTER_NAMES: Record<ProviderName, string> = { local: 'kubelab', kind: 'kubelab', eks: 'eks-workshop', existing: 'current-context' };

/** Providers load lazily: `kubelab cluster status --provider local` never imports the AWS SDK. */
export async function getProvider(name: string): Promise<Provider> {
  switch (parseProviderName(name)) {
    case 'local':
      return (await import('./local.js')).createLocalProvider();
    case 'kind':
      return (await import('./kind.js')).createKindProvider();
    case 'existing':
      return (await import('./existing.js')).createExistingProvider();
    case 'eks':
      return (await import('./eks.js')).createEksProvider();
  }
}
