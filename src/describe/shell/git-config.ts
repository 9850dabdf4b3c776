// Reads a repository's git configuration as a file (never by running git) to learn the
// URLs of its remotes at decision time (docs/shell.md). Anything it cannot read with
// certainty — no repository, an include, a parse doubt — yields undefined, and the
// caller leaves the host unresolved.

import fs from 'node:fs';
import path from 'node:path';

export interface GitConfig {
  /** Lower-cased `section.subsection.key` → values in file order. Subsections keep their case. */
  values: Map<string, string[]>;
}

const cache = new Map<string, GitConfig | undefined>();

/** The config of the repository containing `dir` (worktrees and `.git` files followed). */
export function repositoryConfig(dir: string): GitConfig | undefined {
  const file = configFile(dir);
  if (file === undefined) return undefined;
  if (cache.has(file)) return cache.get(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = parseGitConfig(text);
  if (cache.size > 64) cache.clear();
  cache.set(file, parsed);
  return parsed;
}

/** Forgets cached configs (tests change them between calls). */
export function clearGitConfigCache(): void {
  cache.clear();
}

function configFile(start: string): string | undefined {
  let dir = start;
  for (let i = 0; i < 64; i++) {
    const dotGit = path.join(dir, '.git');
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dotGit);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) return path.join(dotGit, 'config');
    if (stat?.isFile()) {
      const gitdir = /^gitdir: (.+)$/m.exec(safeRead(dotGit) ?? '')?.[1]?.trim();
      if (!gitdir) return undefined;
      const resolved = path.resolve(dir, gitdir);
      const common = safeRead(path.join(resolved, 'commondir'))?.trim();
      return path.join(common ? path.resolve(resolved, common) : resolved, 'config');
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function safeRead(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Parses git's ini dialect; undefined for includes or lines it cannot read. */
function parseGitConfig(text: string): GitConfig | undefined {
  const values = new Map<string, string[]>();
  let section: string | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\](.*)$/.exec(line);
      if (!header) return undefined;
      const name = header[1]!.toLowerCase();
      const sub = header[2]?.replace(/\\(.)/g, '$1');
      section = sub !== undefined ? `${name}.${sub}` : name;
      if (name === 'include' || name === 'includeif') return undefined;
      const rest = header[3]!.trim();
      if (rest === '' || rest.startsWith('#') || rest.startsWith(';')) continue;
      return undefined;
    }
    if (section === undefined) return undefined;
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (!entry) return undefined;
    const value = entry[2] === undefined ? 'true' : unquoteValue(entry[2]);
    if (value === undefined) return undefined;
    const key = `${section}.${entry[1]!.toLowerCase()}`;
    const list = values.get(key) ?? [];
    list.push(value);
    values.set(key, list);
  }
  return { values };
}

function unquoteValue(raw: string): string | undefined {
  let out = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') quoted = !quoted;
    else if (c === '\\') {
      const next = raw[++i];
      if (next === undefined) return undefined;
      out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else if (!quoted && (c === '#' || c === ';')) break;
    else out += c;
  }
  return quoted ? undefined : out.trim();
}

export function configValue(config: GitConfig, key: string): string | undefined {
  const list = config.values.get(key);
  return list?.[list.length - 1];
}

export function remoteNames(config: GitConfig): string[] {
  const names = new Set<string>();
  for (const key of config.values.keys()) {
    if (key.startsWith('remote.') && key.endsWith('.url')) names.add(key.slice('remote.'.length, -'.url'.length));
  }
  return [...names];
}

/** A URL after `url.<base>.insteadOf` (and pushInsteadOf for pushes) rewriting. */
export function rewriteUrl(config: GitConfig, url: string, push: boolean): string {
  let best: { base: string; prefix: string } | undefined;
  for (const [key, list] of config.values) {
    if (!key.startsWith('url.')) continue;
    const kind = key.endsWith('.insteadof') ? 'insteadof' : key.endsWith('.pushinsteadof') ? 'pushinsteadof' : undefined;
    if (!kind || (kind === 'pushinsteadof' && !push)) continue;
    const base = key.slice(4, key.lastIndexOf('.'));
    for (const prefix of list) {
      if (url.startsWith(prefix) && (!best || prefix.length > best.prefix.length)) best = { base, prefix };
    }
  }
  return best ? best.base + url.slice(best.prefix.length) : url;
}
