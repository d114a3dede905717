import { DescribeClusterCommand, EKSClient, EKSServiceException } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { eksClusterActive } from '../../../checkers/eks/cluster.js';
import { redactSecrets, sendAws, toEnvironmentError } from '../../../src/aws/errors.js';
import { describeError, EnvironmentError, ExitCode } from '../../../src/errors.js';
import { createEksProvider } from '../../../src/providers/eks.js';
import { eksCheckContext } from '../../support/eks-check-context.js';

// A fake but realistically shaped key pair: these values must never appear in any message.
const SECRET_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLEsessionTOKENvalue1234567890',
  AWS_REGION: 'us-west-2',
};
const SECRETS = [SECRET_ENV.AWS_ACCESS_KEY_ID, SECRET_ENV.AWS_SECRET_ACCESS_KEY, SECRET_ENV.AWS_SESSION_TOKEN];

function eksError(name: string, message: string, status = 400) {
  return new EKSServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: status } });
}

const eksMock = mockClient(EKSClient);
afterEach(() => {
  eksMock.reset();
});

async function failureOf(error: Error): Promise<EnvironmentError> {
  eksMock.on(DescribeClusterCommand).rejects(error);
  const eks = new EKSClient({ region: 'us-west-2' });
  const thrown = await sendAws(eks, new DescribeClusterCommand({ name: 'eks-workshop' }), { region: 'us-west-2', env: SECRET_ENV }).catch((e: unknown) => e);
  expect(thrown).toBeInstanceOf(EnvironmentError);
  return thrown as EnvironmentError;
}

function expectNoSecrets(text: string) {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('AWS failures become one-sentence exit-3 errors', () => {
  it('Given an expired session token, when EKS is called, then the learner is told the session expired and how to refresh it', async () => {
    const error = await failureOf(eksError('ExpiredTokenException', 'The security token included in the request is expired', 403));
    expect(error.exitCode).toBe(ExitCode.environment);
    expect(error.message).toBe('Your AWS session has expired.');
    expect(error.nextStep).toMatch(/aws sso login/);
  });

  it('Given an SSO token that expired, when credentials load, then it reads as an expired session too', () => {
    const sso = Object.assign(new Error('The SSO session associated with this profile has expired or is otherwise invalid.'), { name: 'TokenProviderError' });
    expect((toEnvironmentError(sso) as EnvironmentError).message).toBe('Your AWS session has expired.');
  });

  it('Given AccessDenied, when EKS is called, then the message names the denied action and region, without the ARN details', async () => {
    const error = await failureOf(
      eksError('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/learner is not authorized to perform: eks:DescribeCluster', 403),
    );
    expect(error.message).toBe('Your AWS identity is not allowed to call eks:DescribeCluster in region us-west-2.');
    expect(error.nextStep).toContain('aws sts get-caller-identity');
  });

  it('Given an unknown access key, when EKS is called, then it says the key is not accepted and never prints the key', async () => {
    const error = await failureOf(
      eksError('UnrecognizedClientException', `The security token included in the request is invalid. Key ${SECRET_ENV.AWS_ACCESS_KEY_ID}`, 403),
    );
    expect(error.message).toBe('AWS does not accept your access key (unknown, deleted or mistyped key).');
    expectNoSecrets(describeError(error));
  });

  it('Given InvalidClientTokenId, when classified, then it is the same "key not accepted" sentence', () => {
    const error = toEnvironmentError(Object.assign(new Error('The security token included in the request is invalid.'), { name: 'InvalidClientTokenId', $fault: 'client' }));
    expect((error as EnvironmentError).message).toMatch(/does not accept your access key/);
  });

  it('Given no credentials anywhere, when the SDK gives up, then it says so and how to configure them', () => {
    const error = toEnvironmentError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toBe('No AWS credentials were found.');
    expect((error as EnvironmentError).nextStep).toMatch(/aws configure/);
  });

  it('Given throttling after retries, when EKS is called, then it says to wait', async () => {
    const error = await failureOf(eksError('ThrottlingException', 'Rate exceeded', 429));
    expect(error.message).toBe('AWS is throttling requests in region us-west-2, even after retrying.');
  });

  it('Given no region, when the SDK refuses, then it says how to set AWS_REGION', () => {
    const error = toEnvironmentError(new Error('Region is missing'));
    expect((error as EnvironmentError).message).toBe('No AWS region is set.');
    expect((error as EnvironmentError).nextStep).toContain('export AWS_REGION=');
  });

  it('Given DNS cannot find the regional endpoint, when EKS is called, then the region is questioned', async () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND eks.us-wst-2.amazonaws.com'), { code: 'ENOTFOUND' });
    const error = toEnvironmentError(dns, { region: 'us-wst-2' }) as EnvironmentError;
    expect(error.message).toBe('Cannot find the AWS endpoint for region us-wst-2 (ENOTFOUND).');
    expect((toEnvironmentError(dns, { region: 'oregon' }) as EnvironmentError).message).toBe('"oregon" is not an AWS region.');
  });

  it('Given the network is down, when EKS is called, then it says AWS cannot be reached', async () => {
    const offline = Object.assign(new Error('connect ENETUNREACH'), { code: 'ENETUNREACH' });
    const error = await failureOf(Object.assign(new Error('request failed'), { cause: offline }));
    expect(error.message).toBe('Cannot reach AWS in region us-west-2 (ENETUNREACH).');
  });

  it('Given an unlisted AWS error quoting the credentials, when classified, then the credentials are redacted', async () => {
    const error = await failureOf(
      eksError('InvalidParameterException', `Bad request signed with ${SECRET_ENV.AWS_ACCESS_KEY_ID} token ${SECRET_ENV.AWS_SESSION_TOKEN} and ${SECRET_ENV.AWS_SECRET_ACCESS_KEY}`),
    );
    expect(error.message).toMatch(/^AWS rejected eks:DescribeCluster in region us-west-2: Bad request signed with AKIA…\(redacted\)/);
    expectNoSecrets(`${error.message} ${error.nextStep}`);
  });

  it('Given any key id pattern, when redacted, then temporary (ASIA) and long-term (AKIA) ids are both hidden', () => {
    expect(redactSecrets('keys AKIAABCDEFGHIJKLMNOP and ASIAABCDEFGHIJKLMNOP')).toBe('keys AKIA…(redacted) and ASIA…(redacted)');
  });

  it('Given a non-AWS bug, when classified, then it is left alone for the bug path', () => {
    const bug = new TypeError('x is undefined');
    expect(toEnvironmentError(bug)).toBe(bug);
  });

  it('Given expired credentials, when a checker runs, then the check is broken (not failed) with the one sentence and a hint', async () => {
    eksMock.on(DescribeClusterCommand).rejects(eksError('ExpiredTokenException', 'expired token', 403));
    const result = await eksClusterActive.run(eksCheckContext(async () => new EKSClient({ region: 'us-west-2' })), { name: 'eks-workshop' });
    expect(result).toMatchObject({ status: 'error', message: 'Your AWS session has expired.' });
    expect(result.hint).toMatch(/aws sso login/);
  });

  it('Given AccessDenied, when the provider reports status, then it throws an exit-3 error whose text has no stack and no secret', async () => {
    eksMock.on(DescribeClusterCommand).rejects(eksError('AccessDeniedException', `denied for ${SECRET_ENV.AWS_ACCESS_KEY_ID}`, 403));
    const provider = createEksProvider({ eksClient: async () => new EKSClient({ region: 'us-west-2' }) });
    const io = { signal: new AbortController().signal, log: () => undefined, env: { ...SECRET_ENV, KUBELAB_STATE_DIR: '/nonexistent-kubelab-state' } };
    const error = await provider.status({ name: 'eks-workshop' }, io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    const text = describeError(error);
    expect(text).toBe(
      'Your AWS identity is not allowed to call eks:DescribeCluster in region us-west-2.\n  Next: Check which identity you are using with `aws sts get-caller-identity`. Then ask your AWS administrator for the eks:DescribeCluster permission.',
    );
    expect(text).not.toMatch(/\n\s+at /);
    expectNoSecrets(text);
  });
});
