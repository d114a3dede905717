/**
 * Secrets as they leak in real sessions, and the commands that print them. Every sink test runs
 * this corpus through its sink and greps the result for each secret: none may appear.
 */
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SecretCase {
  /** What leaks, in words (used in test names and failure messages). */
  label: string;
  /** Shell that prints it (run in a lesson block with the corpus' env and files in place). */
  print: string;
  /** Substrings that must never be shown or written. */
  secrets: string[];
}

export interface SecretCorpus {
  workspace: string;
  kubeconfig: string;
  env: Record<string, string>;
  cases: SecretCase[];
  /**
   * Secrets that exist only once the step runs (a token exported, a file written, then printed in
   * the same block): only a sink fed by a real run can know them, so they are tested through one.
   */
  liveCases: SecretCase[];
  /** Every secret of every case. */
  all: string[];
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** The hex blocks of `openssl rsa -text`: each line's bytes, as openssl prints them. */
function opensslTextSecrets(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^([0-9a-f]{2}:){8,}/.test(l))
    .map((l) => l.replace(/:$/, ''));
}

const pemBodyLines = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----'));

/** Builds the corpus in a fresh folder: a workspace with a key and a token file, a kubeconfig, an env. */
export function secretCorpus(root = mkdtempSync(join(tmpdir(), 'kubelab-secrets-')), workspace = join(root, 'workspace')): SecretCorpus {
  mkdirSync(workspace, { recursive: true });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const keyFile = join(workspace, 'rbac-user.key');
  writeFileSync(keyFile, privateKey, { mode: 0o600 });
  const workspaceToken = `wst-${hex(16)}`;
  writeFileSync(join(workspace, 'deployer.token'), `${workspaceToken}\n`, { mode: 0o600 });

  const { privateKey: clientKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1', privateKeyEncoding: { type: 'sec1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const clientKeyData = Buffer.from(clientKey).toString('base64');
  const kubeToken = `kt${hex(20)}`;
  const kubePassword = `pw-${hex(10)}`;
  // In the workspace, as a lesson that makes a user's kubeconfig would leave it.
  const kubeconfig = join(workspace, 'robot.kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
      'contexts: [{name: c, context: {cluster: c, user: admin}}]',
      'current-context: c',
      'users:',
      '- name: admin',
      '  user:',
      `    client-key-data: ${clientKeyData}`,
      '- name: robot',
      '  user:',
      `    token: ${kubeToken}`,
      '- name: basic',
      '  user:',
      `    username: admin`,
      `    password: ${kubePassword}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );

  const awsSecret = `aws/${hex(18)}`;
  const awsSession = `FwoG${hex(24)}`;
  const awsKeyId = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const env = { AWS_SECRET_ACCESS_KEY: awsSecret, AWS_SESSION_TOKEN: awsSession, AWS_ACCESS_KEY_ID: awsKeyId };

  const opensslText = execFileSync('openssl', ['rsa', '-in', keyFile, '-text', '-noout'], { encoding: 'utf8' });
  const jwt = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'system:serviceaccount:default:x', n: hex(8) })).toString('base64url')}.${hex(32)}`;
  const assigned = {
    upper: `u-${hex(12)}`,
    password: `p-${hex(12)}`,
    quoted: `q-${hex(12)}`,
    yaml: `y-${hex(12)}`,
    secret: `s-${hex(12)}`,
    bearer: `b${hex(16)}`,
    literal: `l-${hex(12)}`,
  };

  // A key kubelab has never seen (not in the workspace): only its shape can give it away.
  const { privateKey: strangerKey } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const strangerFile = join(root, 'stranger.pem');
  writeFileSync(strangerFile, strangerKey, { mode: 0o600 });
  // Secrets made while the block runs: derived from seeds in its environment, so that neither the
  // lesson's text nor anything kubelab knows beforehand holds them.
  const seeds = { LIVE_SEED_A: hex(8), LIVE_SEED_B: hex(8) };
  const derived = (seed: string) => createHash('sha256').update(seed).digest('hex').slice(0, 24);
  const more = { flag: `f-${hex(12)}`, header: `h${hex(14)}`, url: `url-${hex(10)}`, shortBearer: 'Zq_9x', exported: `mb-${derived(seeds.LIVE_SEED_A)}`, fresh: `wsf-${derived(seeds.LIVE_SEED_B)}` };

  const cases: SecretCase[] = [
    { label: 'a kubeconfig token printed bare (-o jsonpath)', print: `echo ${kubeToken}`, secrets: [kubeToken] },
    { label: 'a kubeconfig client key printed bare (-o jsonpath)', print: `echo ${clientKeyData}`, secrets: [clientKeyData.slice(0, 40), clientKeyData.slice(-40)] },
    { label: 'the client key, decoded', print: `echo ${clientKeyData} | base64 -d`, secrets: pemBodyLines(clientKey) },
    { label: 'a kubeconfig password', print: `echo "the password is ${kubePassword}"`, secrets: [kubePassword] },
    { label: 'TOKEN=… in the environment dump', print: `echo TOKEN=${assigned.upper}`, secrets: [assigned.upper] },
    { label: 'password=…', print: `echo "mysql --user=root password=${assigned.password}"`, secrets: [assigned.password] },
    { label: 'token = "…"', print: `echo 'token = "${assigned.quoted}"'`, secrets: [assigned.quoted] },
    { label: 'password: … in YAML', print: `echo '  db_password: ${assigned.yaml}'`, secrets: [assigned.yaml] },
    { label: 'secret = … in JSON', print: `echo '{"clientSecret": "${assigned.secret}"}'`, secrets: [assigned.secret] },
    { label: 'Authorization: Bearer …', print: `echo 'Authorization: Bearer ${assigned.bearer}'`, secrets: [assigned.bearer] },
    { label: 'kubectl create secret --from-literal', print: `echo 'kubectl create secret generic db --from-literal=api_key=${assigned.literal}'`, secrets: [assigned.literal] },
    { label: 'a service-account JWT', print: `echo ${jwt}`, secrets: [jwt.split('.')[1], jwt.split('.')[2]] },
    { label: 'AWS keys from the environment', print: 'echo "$AWS_ACCESS_KEY_ID $AWS_SECRET_ACCESS_KEY $AWS_SESSION_TOKEN"', secrets: [awsSecret, awsSession, awsKeyId] },
    { label: 'a workspace key printed (cat)', print: `cat ${JSON.stringify(keyFile)}`, secrets: pemBodyLines(privateKey) },
    { label: 'a workspace key as one line of base64', print: `base64 -w0 ${JSON.stringify(keyFile)}; echo`, secrets: [Buffer.from(privateKey).toString('base64').slice(20, 80)] },
    { label: 'a workspace key as wrapped base64', print: `base64 ${JSON.stringify(keyFile)}`, secrets: Buffer.from(privateKey).toString('base64').match(/.{1,76}/g)!.slice(1, 4) },
    { label: 'openssl rsa -text', print: `openssl rsa -in ${JSON.stringify(keyFile)} -text -noout`, secrets: opensslTextSecrets(opensslText) },
    { label: 'a token file in the workspace', print: `cat ${JSON.stringify(join(workspace, 'deployer.token'))}`, secrets: [workspaceToken] },
    // Issue 25, item 4: encodings a shell produces, and shapes common in lessons.
    { label: 'echo $SECRET | base64 (the value and its newline)', print: 'echo "$AWS_SECRET_ACCESS_KEY" | base64', secrets: [Buffer.from(`${awsSecret}\n`).toString('base64')] },
    { label: 'a PEM body line without its BEGIN line', print: `sed -n 3p ${JSON.stringify(strangerFile)}`, secrets: [strangerKey.split('\n')[2]] },
    { label: '--token VALUE', print: `echo "kubectl get pods --token ${more.flag}"`, secrets: [more.flag] },
    { label: 'Authorization: token …', print: `echo 'Authorization: token ${more.header}'`, secrets: [more.header] },
    { label: 'a password inside a URL', print: `echo "git clone https://learner:${more.url}@git.example.com/ws.git"`, secrets: [more.url] },
    { label: 'a Bearer value under six characters', print: `echo 'curl -H "X-Token: Bearer ${more.shortBearer}"'`, secrets: [more.shortBearer] },
  ];
  const freshFile = join(workspace, `fresh-${hex(4)}.token`);
  const liveCases: SecretCase[] = [
    { label: 'a token exported and echoed in the same block', print: `export STEP_TOKEN="mb-$(printf '%s' "$LIVE_SEED_A" | sha256sum | cut -c1-24)"\necho "the token: $STEP_TOKEN"`, secrets: [more.exported] },
    { label: 'a workspace token file printed the moment it is written', print: `printf 'wsf-%s\\n' "$(printf '%s' "$LIVE_SEED_B" | sha256sum | cut -c1-24)" > ${JSON.stringify(freshFile)}\ncat ${JSON.stringify(freshFile)}`, secrets: [more.fresh] },
  ];
  return { workspace, kubeconfig, env: { ...env, ...seeds }, cases, liveCases, all: [...cases, ...liveCases].flatMap((c) => c.secrets) };
}

/** The secrets of the corpus that appear in a text, with the case that leaked each. */
export function leaks(corpus: Pick<SecretCorpus, 'cases'> & Partial<Pick<SecretCorpus, 'liveCases'>>, text: string): string[] {
  return [...corpus.cases, ...(corpus.liveCases ?? [])].flatMap((c) => c.secrets.filter((s) => text.includes(s)).map((s) => `${c.label}: ${s}`));
}
