/**
 * Where the secrets kubelab can know in advance live, and what they are: the kubeconfig it hands to
 * lessons (its users' keys, tokens, passwords, and the files those point to), and the files lessons
 * write under $KUBELAB_WORKSPACE (private keys, token files). Read again when they change, cheaply
 * enough to ask before every line of output; the Redactor (redact.ts) replaces what this finds.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** How often (at most) the kubeconfig and the workspace are looked at again for new secrets. */
const RESCAN_MS = 250;
/** Workspace files above this size are not credentials (images, tarballs): skip them. */
const MAX_SECRET_FILE_BYTES = 256 * 1024;
const MAX_WORKSPACE_FILES = 500;

/** Where secrets live that the redactor should learn about, re-read when they change. */
export interface SecretSources {
  env?: NodeJS.ProcessEnv;
  /** Kubeconfig files: their users' keys, tokens and passwords. */
  kubeconfigs?: string[];
  /** Folders lessons write keys and tokens into ($KUBELAB_WORKSPACE). */
  workspaces?: string[];
  /** How often at most they are looked at again (tests use 0). */
  rescanMs?: number;
}

/** The secret files of one session, with what was last read of each, so only changes are read again. */
export class SecretFiles {
  private readonly files = new Map<string, string>();
  private lastScan = -Infinity;
  /** Workspace folders and their mtimes: a file created in one changes it, seen on the next line. */
  private readonly folders = new Map<string, number>();
  /** Files seen empty: created, and maybe about to be written (`echo … > file`). */
  private readonly emptyFiles = new Set<string>();

  constructor(private readonly sources: Omit<SecretSources, 'env'> = {}) {}

  /**
   * The secrets in files that changed since the last look (throttled: this runs per line), or in
   * every changed file now when `now` is set (between blocks).
   */
  changedSecrets(now = false): string[] {
    const { kubeconfigs = [], workspaces = [], rescanMs = RESCAN_MS } = this.sources;
    if (kubeconfigs.length === 0 && workspaces.length === 0) return [];
    const at = performance.now();
    // A file that just appeared is read before the next line is shown (one stat per folder);
    // the full look, which also sees files rewritten in place, is throttled.
    if (!now && at - this.lastScan < rescanMs && !this.foldersChanged(workspaces)) return [];
    this.lastScan = at;
    const found: string[] = [];
    for (const file of kubeconfigs) this.readIfChanged(file, found, (text) => secretsInKubeconfig(text));
    this.folders.clear();
    for (const dir of workspaces) {
      const { files, folders } = listFiles(dir);
      for (const [folder, mtime] of folders) this.folders.set(folder, mtime);
      for (const file of files) this.readIfChanged(file, found, (text) => secretsInFile(file, text));
    }
    return found;
  }

  private foldersChanged(workspaces: string[]): boolean {
    if (this.folders.size === 0) return workspaces.some((dir) => mtimeOf(dir) !== undefined);
    for (const [folder, mtime] of this.folders) if (mtimeOf(folder) !== mtime) return true;
    for (const file of this.emptyFiles) if (statSizeOf(file) !== 0) return true;
    return false;
  }

  private readIfChanged(file: string, found: string[], extract: (text: string) => string[]): void {
    let stamp: string;
    try {
      const stat = statSync(file);
      if (!stat.isFile() || stat.size > MAX_SECRET_FILE_BYTES) return;
      stamp = `${stat.mtimeMs}:${stat.size}`;
      if (stat.size === 0) this.emptyFiles.add(file);
      else this.emptyFiles.delete(file);
    } catch {
      return;
    }
    if (this.files.get(file) === stamp) return;
    this.files.set(file, stamp);
    try {
      found.push(...extract(readFileSync(file, 'utf8')));
    } catch {
      // Unreadable or half-written: the next change reads it again.
      this.files.delete(file);
    }
  }
}

function mtimeOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function statSizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

function listFiles(dir: string): { files: string[]; folders: Map<string, number> } {
  const files: string[] = [];
  const folders = new Map<string, number>();
  const visit = (folder: string, depth: number) => {
    let entries;
    try {
      // Its mtime before its entries: a file created meanwhile changes it again, and is read then.
      folders.set(folder, statSync(folder).mtimeMs);
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (files.length >= MAX_WORKSPACE_FILES) return;
      const path = join(folder, entry.name);
      if (entry.isDirectory() && depth < 4) visit(path, depth + 1);
      else if (entry.isFile()) files.push(path);
    }
  };
  visit(dir, 0);
  return { files, folders };
}

/** The base64 body of each PEM private key in a text, line by line and whole. */
function privateKeyBodies(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)([\s\S]*?)(-----END [A-Z0-9 ]*PRIVATE KEY-----)/g)) {
    const lines = match[2].split(/\r?\n/).map((l) => l.trim()).filter((l) => /^[A-Za-z0-9+/=]{16,}$/.test(l));
    out.push(...lines, lines.join(''), match[0], `${match[0]}\n`);
  }
  return out;
}

/** Credentials of every user in a kubeconfig (the client key, never the public certificate). */
export function secretsInKubeconfig(text: string): string[] {
  let config: unknown;
  try {
    config = parseYaml(text);
  } catch {
    return [];
  }
  const users = (config as { users?: { user?: Record<string, unknown> }[] } | null)?.users;
  if (!Array.isArray(users)) return [];
  const out: string[] = [];
  for (const { user } of users) {
    if (!user || typeof user !== 'object') continue;
    for (const field of ['client-key-data', 'token', 'password']) {
      const value = user[field];
      if (typeof value !== 'string') continue;
      out.push(value);
      if (field === 'client-key-data') out.push(...privateKeyBodies(Buffer.from(value, 'base64').toString('utf8')));
    }
    // Credentials kept in files next to the kubeconfig (kind, kwokctl, certificates a lesson made).
    for (const field of ['client-key', 'tokenFile']) {
      const path = user[field];
      if (typeof path !== 'string') continue;
      try {
        const content = readFileSync(path, 'utf8');
        out.push(...(field === 'client-key' ? privateKeyBodies(content) : [content]));
      } catch {
        // Not readable by us: not printable by a lesson either.
      }
    }
    const providerConfig = (user['auth-provider'] as { config?: Record<string, unknown> } | undefined)?.config ?? {};
    for (const field of ['id-token', 'refresh-token', 'client-secret', 'access-token']) {
      if (typeof providerConfig[field] === 'string') out.push(providerConfig[field] as string);
    }
  }
  return out;
}

/** What in a workspace file is secret: private keys, kubeconfig credentials, token files. */
export function secretsInFile(path: string, text: string): string[] {
  const out = privateKeyBodies(text);
  // The whole file too, and its base64 as `base64` prints it (76 columns) or as one line.
  if (out.length) out.push(text, ...(Buffer.from(text).toString('base64').match(/.{16,76}/g) ?? []));
  if (/^\s*users\s*:/m.test(text)) out.push(...secretsInKubeconfig(text));
  const name = path.split('/').pop() ?? '';
  const single = text.trim();
  if (/(token|secret|passw|credential|\.key$)/i.test(name) && single && !single.includes('\n') && !single.startsWith('-----')) out.push(single, text);
  return out;
}
