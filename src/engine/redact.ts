/**
 * Removes secrets from anything kubelab shows or writes: AWS keys, bearer tokens, kubeconfig
 * credentials, private keys. Works line by line, remembering when it is inside a PEM private key.
 */
const REPLACEMENT = '[REDACTED]';

const PATTERNS: [RegExp, string][] = [
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, REPLACEMENT],
  [/((?:aws_secret_access_key|aws_session_token|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|SecretAccessKey|SessionToken)["']?\s*[:=]\s*["']?)[^\s"',]+/g, `$1${REPLACEMENT}`],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REPLACEMENT}`],
  [/((?:client-key-data|token|password|id-token|refresh-token)["']?\s*:\s*["']?)[^\s"',]+/g, `$1${REPLACEMENT}`],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, REPLACEMENT],
];

export class Redactor {
  private insidePrivateKey = false;
  private readonly literals: string[];

  /** Known secret values (e.g. from the environment) are always replaced, wherever they appear. */
  constructor(secretValues: string[] = []) {
    this.literals = secretValues.filter((v) => v.length >= 8);
  }

  static fromEnv(env: NodeJS.ProcessEnv): Redactor {
    const names = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID', 'KUBELAB_CLASS_TOKEN'];
    return new Redactor(names.map((n) => env[n] ?? '').filter(Boolean));
  }

  line(text: string): string {
    if (this.insidePrivateKey) {
      if (/-----END [A-Z ]*PRIVATE KEY-----/.test(text)) this.insidePrivateKey = false;
      return REPLACEMENT;
    }
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
      this.insidePrivateKey = !/-----END [A-Z ]*PRIVATE KEY-----/.test(text);
      return REPLACEMENT;
    }
    let out = text;
    for (const literal of this.literals) out = out.split(literal).join(REPLACEMENT);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  text(text: string): string {
    return text
      .split('\n')
      .map((l) => this.line(l))
      .join('\n');
  }
}
