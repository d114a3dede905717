import type { EKSClient } from '@aws-sdk/client-eks';
import { clientRegion } from '../../src/aws/eks-client.js';
import { EKS_SERVICE } from '../../src/aws/eks-service.js';
import { toEnvironmentError } from '../../src/aws/errors.js';
import { broken, type CheckContext } from '../../src/engine/checker.js';
import type { CheckResult } from '../../src/engine/types.js';
import { isAbort, KubelabError } from '../../src/errors.js';

/** EKS cannot be watched; asking every 10 s is well inside its API rate limits. */
export const EKS_POLL_INTERVAL_MS = 10_000;

/**
 * Runs a check with the EKS client and its region. When AWS itself is unusable (credentials,
 * permissions, network), that is the check being broken, not the learner's cluster being wrong.
 */
export async function withEks(
  ctx: CheckContext,
  run: (eks: EKSClient, region: string, io: { signal: AbortSignal; env: NodeJS.ProcessEnv }) => Promise<CheckResult>,
): Promise<CheckResult> {
  try {
    const eks = await ctx.service(EKS_SERVICE);
    const region = await clientRegion(eks);
    return await run(eks, region, { signal: ctx.signal, env: {} });
  } catch (error) {
    if (isAbort(error)) throw error;
    const mapped = toEnvironmentError(error);
    if (mapped instanceof KubelabError) return broken(mapped.message, { hint: mapped.nextStep });
    throw error;
  }
}
