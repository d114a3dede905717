/**
 * Removes secrets from anything kubelab shows or writes. One `Redactor` per session is handed to
 * every sink (step output, check results, reports, class events, progress), so what one sink hides
 * no other shows.
 *
 * It works on values first: the credentials kubelab knows (its environment, the kubeconfig it hands
 * to lessons, files lessons write under $KUBELAB_WORKSPACE) are replaced wherever they appear,
 * whatever shape the line has. Shapes come second, for secrets kubelab cannot know in advance:
 * PEM private keys and their base64, JWTs, bearer tokens, `name=value` assignments with a
 * secret-looking name, and the hex blocks of `openssl rsa -text`. Finding the known values in
 * their files is secret-sources.ts's job; this file replaces them.
 */
import { SecretFiles, type SecretSources } from './secret-sources.js';

export type { SecretSources } from './secret-sources.js';

export const REDACTED = '[REDACTED]';

/** Shorter values are too likely to be ordinary words or numbers to hunt for everywhere. */
const MIN_SECRET_LENGTH = 8;
/** Environment variables whose values are secrets, by exact name or by what their name says. */
const SECRET_ENV_NAMES = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID', 'KUBELAB_CLASS_TOKEN'];
const SECRET_ENV_PATTERN = /(TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE_KEY|ACCESS_KEY|CREDENTIAL)/i;

/** Names in `name=value` / `name: value` whose value is a secret... */
const SECRET_NAME = /(?:token|passw(?:or)?d|pwd|secret|api[_-]?key|access[_-]?key|private[_-]?key|key[_-]?data|credentials?|client[_-]?key)/i;
/** ...unless the name says it only points at one (a Secret's name, a file path, a type). */
const REFERENCE_NAME = /(?:name|names|ref|path|file|type|kind|count|length|seconds|ttl|expiry|expiration|url|uri|id)$/i;
// The lookbehind starts a name only where a word starts, so a long word is not retried at every letter.
const NAME_AND_SEPARATOR = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]*[A-Za-z0-9_])(["']?[ \t]*[:=][ \t]*)/g;
const VALUE = /^(?:"[^"]*"|'[^']*'|[^\s"',;]+)/;

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;
/** base64 of "-----BEGIN": a PEM block (key or certificate) encoded as one word, as kubeconfigs hold them. */
const BASE64_PEM = /LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g;
const BASE64_LINE = /^\s*[A-Za-z0-9+/=]{16,}\s*$/;
/** `openssl rsa -text`, `openssl ec -text`: key material as lines of colon-separated hex bytes. */
const HEX_BLOCK_LINE = /^\s*(?:[0-9a-fA-F]{2}:){7,}[0-9a-fA-F]{0,2}\s*$/;
/** The short last line of such a block, or a block after its heading ("prime1:"). */
const HEX_TAIL_LINE = /^\s*(?:[0-9a-fA-F]{2}:?)+\s*$/;
const KEY_PART_HEADING = /^\s*(modulus|privateExponent|prime1|prime2|exponent1|exponent2|coefficient|priv|pub):\s*$/;
const KEY_PART_INLINE = /\b(privateExponent|prime1|prime2|exponent1|exponent2|coefficient|priv)(:[ \t]*)\S.*$/;

/** A shape's replacement: a `$1`-style string, or a function of the match and its groups. */
type Replacement = string | ((match: string, ...groups: string[]) => string);

/** Words that follow "Bearer" in prose ("a Bearer token"), not a credential. */
const BEARER_PROSE = /^(?:token|tokens|auth|authentication|credentials?|scheme|header|access|value)$/i;

/** Each shape with a cheap test that must pass first (most lines hold no secret at all). */
const SHAPES: [RegExp, RegExp, Replacement][] = [
  [/A[KS]IA|AROA|AIDA/, /\b(?:AKIA|ASIA|AROA|AIDA)[0-9A-Z]{16}\b/g, REDACTED],
  // `Authorization: token ghp_…`, `Authorization: Bearer …`, or a bare value: the value, whatever its length.
  [/authorization/i, /\b(authorization["']?[ \t]*[:=][ \t]*["']?)(?![{[])(?:([A-Za-z][A-Za-z0-9-]*)[ \t]+)?([^\s"',;]+)/gi, (_m, head: string, scheme: string | undefined) => `${head}${scheme ? `${scheme} ` : ''}${REDACTED}`],
  // A Bearer value of any length (a short test token is still a token), but not the prose "a Bearer token".
  [/bearer/i, /\b(Bearer)([ \t]+)([A-Za-z0-9._~+/=-]+)/gi, (m, word: string, space: string, value: string) => (value === REDACTED.slice(1, -1) || BEARER_PROSE.test(value) ? m : `${word}${space}${REDACTED}`)],
  [/basic/i, /\b(Basic)(\s+)[A-Za-z0-9._~+/=-]{6,}/gi, `$1$2${REDACTED}`],
  [/eyJ/, /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Kubernetes bootstrap tokens: abcdef.0123456789abcdef
  [/\.[a-z0-9]{16}\b/, /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, REDACTED],
  [/LS0t/, BASE64_PEM, REDACTED],
  // GitHub tokens, as lessons that clone private repositories print them.
  [/gh[pousr]_|github_pat_/, /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, REDACTED],
  // `--token VALUE` / `--password VALUE` (the `=` form is an assignment, below); not a flag or a variable after it.
  [/--(?:token|passw|client-secret|secret|api-key)/i, /(--(?:token|password|passwd|client-secret|secret|api-key)[ \t]+)(?![-$])("[^"]*"|'[^']*'|[^\s"']+)/gi, (m, flag: string, value: string) => (value.includes(REDACTED) ? m : `${flag}${REDACTED}`)],
  // A password inside a URL: scheme://user:password@host.
  [/:\/\/[^\s]*@/, /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"']*:)([^\s@/"']+)(@)/gi, `$1${REDACTED}$3`],
];

/** One line of a PEM body (64 columns of base64) printed without its BEGIN line: `sed -n 2p key.pem`. */
const PEM_BODY_LINE = /^\s*[A-Za-z0-9+/]{64}\s*$/;
/** The same 64 columns inside a longer line (a check message, a report's error). */
const PEM_BODY_WORD = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{64}(?![A-Za-z0-9+/=])/g;
/** Certificates and public keys are not secret: their body lines are left alone. */
const PUBLIC_PEM_BEGIN = /-----BEGIN (?:[A-Z0-9 ]* )?(?:CERTIFICATE|PUBLIC KEY)[A-Z0-9 ]*-----/;
const PUBLIC_PEM_END = /-----END (?:[A-Z0-9 ]* )?(?:CERTIFICATE|PUBLIC KEY)[A-Z0-9 ]*-----/;

/** Base64, not a hex digest or a word: mixed case and digits, as key material is. */
function looksLikeKeyMaterial(word: string): boolean {
  return /[A-Z]/.test(word) && /[a-z]/.test(word) && /[0-9]/.test(word) && /[g-zG-Z+/]/.test(word);
}

/** Per stream of lines: whether we are inside a multi-line secret. */
interface LineState {
  insidePrivateKey: boolean;
  insidePublicPem: boolean;
  insideBase64Pem: boolean;
  insideHexBlock: boolean;
}

const freshState = (): LineState => ({ insidePrivateKey: false, insidePublicPem: false, insideBase64Pem: false, insideHexBlock: false });

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export class Redactor {
  private readonly known = new Set<string>();
  /** The lesson's own words (ids, titles, hints): never taken for a secret's name or value. */
  private readonly authored = { names: new Set<string>(), lines: new Set<string>() };
  private knownPattern?: RegExp;
  private readonly state: LineState = freshState();
  /** The kubeconfig and workspace files whose secrets are learnt as they change. */
  private readonly files: SecretFiles;

  /** Known secret values are always replaced, wherever they appear. */
  constructor(secretValues: string[] = [], sources: Omit<SecretSources, 'env'> = {}) {
    this.files = new SecretFiles(sources);
    this.remember(secretValues);
  }

  /** The secrets in an environment (AWS keys, tokens) and nothing else. */
  static fromEnv(env: NodeJS.ProcessEnv): Redactor {
    return Redactor.from({ env });
  }

  /** A session's redactor: its environment now, its kubeconfig and workspace as they change. */
  static from(sources: SecretSources): Redactor {
    const { env, ...files } = sources;
    const redactor = new Redactor([], files);
    if (env) redactor.rememberEnv(env);
    return redactor;
  }

  /** Adds secret values (e.g. a token a lesson just exported), with their base64 forms. */
  remember(values: Iterable<string>): void {
    let added = false;
    for (const raw of values) {
      const value = raw.trim();
      if (value.length < MIN_SECRET_LENGTH || value === REDACTED || this.known.has(value)) continue;
      this.known.add(value);
      // Kubernetes Secrets and `base64 -w0` show the same value encoded; `echo $X | base64`
      // encodes it with its newline, and wraps at 76 columns.
      for (const encoded of [base64(value), base64(`${value}\n`)]) {
        this.known.add(encoded);
        if (encoded.length > 76) for (const part of encoded.match(/.{1,76}/g) ?? []) if (part.length >= 16) this.known.add(part);
      }
      added = true;
    }
    if (added) this.knownPattern = undefined;
  }

  /**
   * What the lesson's author wrote: ids (a check `secret-has-api-token`) are never read as the name
   * of a secret, and a line that is the author's own text (a title, a hint) is left as written —
   * known secret values are still replaced in both.
   */
  keepAuthored(names: Iterable<string>, texts: Iterable<string> = []): void {
    for (const name of names) if (name) this.authored.names.add(name);
    for (const text of texts) for (const line of text.split('\n')) if (line.trim()) this.authored.lines.add(line);
  }

  /** Values of variables whose names mark them as secrets (AWS keys, *_TOKEN, *_PASSWORD…). */
  rememberEnv(env: Record<string, string | undefined>): void {
    const values: string[] = [];
    for (const [name, value] of Object.entries(env)) {
      if (!value || /(_FILE|_PATH|_DIR|_URL|_NAME|_NAMESPACE|_REF|_TYPE|_KIND)$/i.test(name)) continue;
      if (SECRET_ENV_NAMES.includes(name) || SECRET_ENV_PATTERN.test(name)) values.push(value);
    }
    this.remember(values);
  }

  /** One line of a stream (step output): remembers when a multi-line key starts and ends. */
  line(text: string): string {
    this.remember(this.files.changedSecrets());
    return this.redactLine(text, this.state);
  }

  /** A complete text (a message, an error): multi-line secrets are tracked within it only. */
  text(text: string): string {
    this.remember(this.files.changedSecrets());
    const state = freshState();
    return text
      .split('\n')
      .map((l) => this.redactLine(l, state))
      .join('\n');
  }

  /** Every string inside a JSON-like value (a report, an event, progress); keys are kept. */
  value<T>(input: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.text(v);
      if (Array.isArray(v)) return v.map(walk);
      // Keys too: progress is keyed by step ids, and an id can be anything a lesson says.
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.text(k), walk(x)]));
      return v;
    };
    return walk(input) as T;
  }

  private redactLine(text: string, state: LineState): string {
    if (state.insidePrivateKey) {
      const end = PEM_END.exec(text);
      if (!end) return REDACTED;
      state.insidePrivateKey = false;
      return `${REDACTED}${this.redactLine(text.slice(end.index + end[0].length), state)}`;
    }
    if (state.insideBase64Pem) {
      if (BASE64_LINE.test(text)) return REDACTED;
      state.insideBase64Pem = false;
    }
    if (state.insidePublicPem || PUBLIC_PEM_BEGIN.test(text)) {
      state.insidePublicPem = !PUBLIC_PEM_END.test(text);
      if (PEM_BODY_LINE.test(text)) return text;
    } else if (text.length >= 64) {
      text = text.replace(PEM_BODY_WORD, (word) => (looksLikeKeyMaterial(word) ? REDACTED : word));
    }
    const begin = PEM_BEGIN.exec(text);
    if (begin) {
      const before = this.redactLine(text.slice(0, begin.index), freshState());
      const rest = text.slice(begin.index + begin[0].length);
      const end = PEM_END.exec(rest);
      if (!end) {
        state.insidePrivateKey = true;
        return `${before}${REDACTED}`;
      }
      return `${before}${REDACTED}${this.redactLine(rest.slice(end.index + end[0].length), state)}`;
    }
    // `base64 file.key` wraps at 76 columns: the lines after the first are plain base64.
    if (/LS0tLS1CRUdJTi[A-Za-z0-9+/=]{40,}\s*$/.test(text)) state.insideBase64Pem = true;
    if (HEX_BLOCK_LINE.test(text) || (state.insideHexBlock && HEX_TAIL_LINE.test(text))) {
      state.insideHexBlock = true;
      return text.replace(/\S.*\S|\S/, REDACTED);
    }
    state.insideHexBlock = KEY_PART_HEADING.test(text);

    let out = text;
    const known = this.pattern();
    if (known) out = out.replace(known, REDACTED);
    if (this.authored.lines.has(text)) return out;
    for (const [guard, shape, replacement] of SHAPES) {
      if (guard.test(out)) out = typeof replacement === 'string' ? out.replace(shape, replacement) : out.replace(shape, replacement);
    }
    if (out.includes(':')) out = out.replace(KEY_PART_INLINE, `$1$2${REDACTED}`);
    return redactAssignments(out, this.authored.names);
  }

  private pattern(): RegExp | undefined {
    if (this.known.size === 0) return undefined;
    // Longest first, so a value that contains another is replaced whole.
    this.knownPattern ??= new RegExp([...this.known].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
    return this.knownPattern;
  }

  /** Looks at the kubeconfig and the workspace now, whatever the throttle says (between blocks). */
  refreshNow(): void {
    this.remember(this.files.changedSecrets(true));
  }
}

/**
 * `name=value`, `name: value`, `"name": "value"` where the name says secret. Scanned by hand so a
 * harmless name does not hide a secret one after it (`--from-literal=api_key=…`).
 */
function redactAssignments(text: string, authoredNames: ReadonlySet<string> = new Set()): string {
  // Most output lines name no secret: skip the scan for them.
  if (!SECRET_NAME.test(text) || (!text.includes('=') && !text.includes(':'))) return text;
  let out = '';
  let from = 0;
  // matchAll works on its own copy of the pattern: nothing shared between calls.
  for (const match of text.matchAll(NAME_AND_SEPARATOR)) {
    const [head, name] = match;
    if (match.index < from || authoredNames.has(name) || !isSecretName(name)) continue;
    const valueStart = match.index + head.length;
    const value = VALUE.exec(text.slice(valueStart))?.[0];
    if (!value) continue;
    const bare = value.replace(/^["']|["']$/g, '');
    if (!bare || bare.includes(REDACTED) || /^[$[{(<]/.test(bare) || PLAIN_VALUE.test(bare)) continue;
    const quote = /^["']/.test(value) ? value[0] : '';
    out += `${text.slice(from, valueStart)}${quote}${REDACTED}${quote}`;
    from = valueStart + value.length;
  }
  return out + text.slice(from);
}

/** Words that are no secret in any field: booleans, small numbers, and kubelab's own "missing"/"absent". */
const PLAIN_VALUE = /^(true|false|null|none|missing|absent|unset|hidden|\d{1,5})$/i;

/**
 * A field path (`env[0].valueFrom.secretKeyRef.key`, `data.API_TOKEN`) is judged by its last
 * segment: that is the field whose value follows. `secretKeyRef.key` holds a key's name, not a secret.
 */
function isSecretName(name: string): boolean {
  const field = name.slice(name.lastIndexOf('.') + 1);
  return SECRET_NAME.test(field) && !REFERENCE_NAME.test(field);
}

