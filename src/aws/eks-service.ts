import type { EKSClient } from '@aws-sdk/client-eks';
import { serviceKey, type ServiceFactories } from '../engine/services.js';

/** The EKS client EKS checkers ask for through their check context. */
export const EKS_SERVICE = serviceKey<EKSClient>('eks');

/** The AWS services a session offers its checkers: the SDK's default chain, the lesson's region. */
export function awsServices(env: NodeJS.ProcessEnv): ServiceFactories {
  return {
    [EKS_SERVICE.id]: async (variables) => {
      const { createEksClient } = await import('./eks-client.js');
      return createEksClient({ env, region: variables.AWS_REGION });
    },
  };
}
