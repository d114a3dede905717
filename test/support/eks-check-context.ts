import type { EKSClient } from '@aws-sdk/client-eks';
import { KubeConfig } from '@kubernetes/client-node';
import type { CheckContext } from '../../src/engine/checker.js';
import { serviceLocator } from '../../src/engine/services.js';
import { EKS_SERVICE } from '../../src/aws/eks-service.js';

/** A CheckContext as the engine builds it for an EKS lesson: the given EKS client and kubeconfig. */
export function eksCheckContext(eks: () => Promise<EKSClient>, kubeconfigYaml?: string): CheckContext {
  const kubeConfig = new KubeConfig();
  if (kubeconfigYaml) kubeConfig.loadFromString(kubeconfigYaml);
  return {
    kubeConfig,
    kubeConfigFor: () => kubeConfig,
    service: serviceLocator({ [EKS_SERVICE.id]: () => eks() }, {}),
    signal: new AbortController().signal,
    variables: { CLUSTER_NAME: 'eks-workshop', AWS_REGION: 'us-west-2' },
    connection: {
      provider: 'eks',
      name: 'eks-workshop',
      kubeconfig: '/nonexistent/kubeconfig',
      context: kubeConfig.getCurrentContext(),
      simulated: false,
      variables: {},
    },
    lessonDir: '/nonexistent',
  };
}
