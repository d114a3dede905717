import type { EKSClient } from '@aws-sdk/client-eks';
import { EnvironmentError } from '../errors.js';

export interface AwsClientOptions {
  env: NodeJS.ProcessEnv;
  /** Overrides the region from the environment and the AWS config files. */
  region?: string;
}

/**
 * The SDK's client settings from a command's environment rather than the process's, so a command
 * (or a test) that passes its own env gets exactly that identity and region.
 */
function clientConfig(options: AwsClientOptions) {
  const { env } = options;
  // The aws CLI honours AWS_DEFAULT_REGION; the JS SDK does not, and learners set either.
  const region = options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          sessionToken: env.AWS_SESSION_TOKEN || undefined,
        }
      : undefined;
  return {
    ...(region ? { region } : {}),
    // Without explicit keys the SDK's default chain runs: profile (SSO, assume-role, process), web identity, instance role.
    ...(credentials ? { credentials } : { profile: env.AWS_PROFILE || undefined }),
    // Tests point the clients at a local moto server through this.
    ...(env.KUBELAB_AWS_ENDPOINT ? { endpoint: env.KUBELAB_AWS_ENDPOINT } : {}),
  };
}

/**
 * The SDK prints a multi-line "Node 22 will be required from 2027" warning on Node 20 at the first
 * client it creates; in the app it would land in the middle of the screen. kubelab supports Node 20.
 */
function quietNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** An EKS client for the AWS SDK default credential chain and region; the SDK is loaded only when asked for. */
export async function createEksClient(options: AwsClientOptions): Promise<EKSClient> {
  quietNodeVersionWarning();
  const { EKSClient } = await import('@aws-sdk/client-eks');
  return new EKSClient(clientConfig(options));
}

/** The region a client will call, or an EnvironmentError saying how to set one. */
export async function clientRegion(client: { config: { region: () => Promise<string> } }): Promise<string> {
  let region: string | undefined;
  try {
    region = await client.config.region();
  } catch {
    region = undefined;
  }
  if (!region) {
    throw new EnvironmentError(
      'No AWS region is set.',
      'Set one with `export AWS_REGION=us-west-2` (or `aws configure set region us-west-2`) and try again.',
    );
  }
  return region;
}
