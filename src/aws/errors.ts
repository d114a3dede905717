import { EnvironmentError, isAbort } from '../errors.js';

export interface AwsErrorContext {
  /** e.g. "eks:DescribeCluster", for AccessDenied. */
  operation?: string;
  region?: string;
  /** Its credential values are redacted from any text passed through. */
  env?: NodeJS.ProcessEnv;
}

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'EPIPE']);
const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

/** Access key ids (AKIA… long-term, ASIA… temporary) look alike everywhere; the secret parts come from env. */
export function redactSecrets(text: string, env: NodeJS.ProcessEnv = {}): string {
  let out = text.replace(/\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g, '$1…(redacted)');
  for (const key of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID', 'AWS_SECURITY_TOKEN']) {
    const value = env[key];
    if (value && value.length >= 8) out = out.split(value).join('(redacted)');
  }
  return out;
}

function field(error: unknown, key: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[key] : undefined;
}

/** The first sentence of an AWS message, redacted, so even an unknown error stays one line and safe. */
function firstSentence(error: unknown, env?: NodeJS.ProcessEnv): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0].trim();
  return redactSecrets(line, env);
}

function networkCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; current = field(current, 'cause'), depth++) {
    const code = field(current, 'code');
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  }
  return undefined;
}

/** The ResourceNotFoundException of a Describe/List call: the thing does not exist in that region. */
export function isAwsNotFound(error: unknown): boolean {
  const name = field(error, 'name');
  return name === 'ResourceNotFoundException' || name === 'NoSuchEntityException' || name === 'NoSuchEntity';
}

/**
 * An AWS SDK failure as one sentence a learner can act on (exit 3), never a stack trace and never a
 * credential. Aborts come back untouched so Ctrl-C still reads as Ctrl-C.
 */
export function toEnvironmentError(error: unknown, context: AwsErrorContext = {}): unknown {
  if (isAbort(error) || error instanceof EnvironmentError) return error;
  const name = String(field(error, 'name') ?? '');
  const message = error instanceof Error ? error.message : String(error);
  const where = context.region ? ` in region ${context.region}` : '';
  const identityCheck = 'Check which identity you are using with `aws sts get-caller-identity`.';

  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new EnvironmentError(
      'No AWS credentials were found.',
      'Run `aws configure` (or `aws sso login --profile <name>` and `export AWS_PROFILE=<name>`), then check with `aws sts get-caller-identity`.',
    );
  }
  if (
    name === 'ExpiredToken' ||
    name === 'ExpiredTokenException' ||
    name === 'RequestExpired' ||
    name === 'TokenProviderError' ||
    /(token|session)[^.]*expired|expired[^.]*(token|session)/i.test(message)
  ) {
    return new EnvironmentError(
      'Your AWS session has expired.',
      'Refresh your credentials (for SSO: `aws sso login`; for temporary keys: export new ones), then try again.',
    );
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'UnauthorizedOperation') {
    const what = context.operation ? `call ${context.operation}` : 'do this';
    return new EnvironmentError(
      `Your AWS identity is not allowed to ${what}${where}.`,
      `${identityCheck} Then ask your AWS administrator for the ${context.operation ?? 'missing'} permission.`,
    );
  }
  if (
    name === 'UnrecognizedClientException' ||
    name === 'InvalidClientTokenId' ||
    name === 'InvalidSignatureException' ||
    name === 'SignatureDoesNotMatch' ||
    name === 'IncompleteSignature'
  ) {
    return new EnvironmentError(
      'AWS does not accept your access key (unknown, deleted or mistyped key).',
      `Re-enter your keys with \`aws configure\` or unset stale AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY variables. ${identityCheck}`,
    );
  }
  if (name === 'ThrottlingException' || name === 'Throttling' || name === 'TooManyRequestsException') {
    return new EnvironmentError(
      `AWS is throttling requests${where}, even after retrying.`,
      'Wait a minute and try again; close other tools polling the same account.',
    );
  }
  if (/Region is missing/i.test(message) || name === 'RegionMissing') {
    return new EnvironmentError(
      'No AWS region is set.',
      'Set one with `export AWS_REGION=us-west-2` (or `aws configure set region us-west-2`) and try again.',
    );
  }
  const network = networkCode(error) ?? (name === 'TimeoutError' ? 'ETIMEDOUT' : undefined);
  if (network) {
    if (context.region && !REGION_PATTERN.test(context.region)) {
      return new EnvironmentError(
        `"${context.region}" is not an AWS region.`,
        'Set AWS_REGION to a region such as us-west-2 or eu-west-1.',
      );
    }
    if (network === 'ENOTFOUND' && context.region) {
      return new EnvironmentError(
        `Cannot find the AWS endpoint for region ${context.region} (ENOTFOUND).`,
        'Check that AWS_REGION names a real region (e.g. us-west-2) and that you are online (proxy, VPN).',
      );
    }
    return new EnvironmentError(
      `Cannot reach AWS${where} (${network}).`,
      'Check your internet connection, proxy (HTTPS_PROXY) and VPN, then try again.',
    );
  }
  if (isAwsNotFound(error)) {
    return new EnvironmentError(
      `${firstSentence(error, context.env).replace(/\.$/, '')}${where}.`,
      'If it was created in another region, set AWS_REGION to that region and try again.',
    );
  }
  if (field(error, '$fault') !== undefined || field(error, '$metadata') !== undefined) {
    return new EnvironmentError(
      `AWS rejected ${context.operation ?? 'the request'}${where}: ${firstSentence(error, context.env)} (${name || 'unknown error'}).`,
      identityCheck,
    );
  }
  return error;
}

/** The IAM-style action name of a command: DescribeClusterCommand on EKS → eks:DescribeCluster. */
export function operationName(client: { config: { serviceId?: string } }, command: object): string {
  const service = (client.config.serviceId ?? 'aws').toLowerCase().replace(/\s+/g, '');
  return `${service}:${command.constructor.name.replace(/Command$/, '')}`;
}

/** What a smithy command resolves to, read off its middleware handler. */
export type AwsOutput<C> = C extends { resolveMiddleware(...args: any[]): (...args: any[]) => Promise<{ output: infer O }> } ? O : never;

/**
 * `client.send` with the caller's signal and AWS failures turned into EnvironmentErrors. Not-found
 * errors pass through untouched when `notFound: 'raw'`, because there they are an answer, not a failure.
 */
export async function sendAws<C extends object>(
  client: { send(command: any, options?: any): Promise<any>; config: { serviceId?: string } },
  command: C,
  options: { signal?: AbortSignal; region?: string; env?: NodeJS.ProcessEnv; notFound?: 'raw' | 'environment' } = {},
): Promise<AwsOutput<C>> {
  try {
    return (await client.send(command, { abortSignal: options.signal })) as AwsOutput<C>;
  } catch (error) {
    if (options.notFound === 'raw' && isAwsNotFound(error)) throw error;
    throw toEnvironmentError(error, { operation: operationName(client, command), region: options.region, env: options.env });
  }
}
