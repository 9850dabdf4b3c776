// Path arguments of a call, in the one canonical form every matcher compares
// (SPEC §4.5): absolute, with symlinks resolved, so `src/../secrets` or a symlink
// into another tree cannot dodge a path-qualified rule.

import { physicalPath } from '../../describe/physical.js';
import path from 'node:path';

/** Names of the built-in tools whose argument shapes are known (SPEC §5). */
export const BUILTIN_TOOL_NAMES = ['file.read', 'file.write', 'tests.run', 'git.status', 'git.diff', 'git.apply'] as const;

/** Argument names that carry paths for tools that are not built-ins (proxy, host tools). */
export const GENERIC_PATH_ARGS = ['path', 'paths', 'file_path', 'filePath', 'notebook_path'] as const;

export { PathError, assertNoNul } from '../../describe/physical.js';

/**
 * Canonical absolute path of `p` relative to `cwd`, as open(2) would resolve it (the
 * physical form of SPEC-2 §15.1). Throws on NUL bytes and symlink loops.
 */
export function canonicalPath(p: string, cwd: string): string {
  return physicalPath(p, path.resolve(cwd));
}

function stringsOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Decodes a C-style quoted git file name (`"a\\tb"`, octal `\\056`); null when malformed. */
export function unquoteGitName(q: string): string | null {
  if (!q.startsWith('"') || !q.endsWith('"') || q.length < 2) return null;
  const body = q.slice(1, -1);
  const bytes: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = body[++i];
    if (n === undefined) return null;
    if (n in simple) bytes.push(simple[n]!);
    else if (/[0-7]/.test(n)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) return null;
      bytes.push(parseInt(oct, 8));
      i += 2;
    } else return null;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The file name of a `---`/`+++`/`rename from` header: quoted, or up to a tab. */
function gitName(text: string, allowTrailer: boolean): string | null {
  if (text.startsWith('"')) {
    const end = findClosingQuote(text);
    return end < 0 ? null : unquoteGitName(text.slice(0, end + 1));
  }
  const name = allowTrailer ? text.split('\t')[0]!.replace(/\s+$/, '') : text;
  return name === '' ? null : name;
}

function findClosingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/**
 * The names on a `diff --git` line. Unquoted names with spaces are ambiguous; every
 * plausible split is returned (a superset is the safe direction for confinement).
 */
function splitGitNames(rest: string): string[] {
  const out: string[] = [];
  let r = rest;
  while (r.length > 0) {
    if (r.startsWith('"')) {
      const end = findClosingQuote(r);
      if (end < 0) {
        out.push(r);
        break;
      }
      const n = unquoteGitName(r.slice(0, end + 1));
      if (n !== null) out.push(n);
      r = r.slice(end + 1).replace(/^ +/, '');
      continue;
    }
    const next = r.search(/ "?b\//);
    if (next < 0) {
      out.push(r);
      break;
    }
    out.push(r.slice(0, next));
    r = r.slice(next + 1);
  }
  return out;
}

/**
 * File names touched by a unified diff: both sides of `diff --git a/X b/Y`, the
 * `--- a/F` / `+++ b/F` headers and `rename`/`copy from`/`to` lines, with git's
 * C-style quoting decoded (so `"b/\\056\\056/x"` is seen as `../x`). Hunk bodies are skipped by their line counts, so a
 * removed line that happens to start with `-- ` is not mistaken for a header.
 */
export function diffTouchedFiles(diff: string): string[] {
  const out = new Set<string>();
  let oldLeft = 0;
  let newLeft = 0;
  for (const line of diff.split(/\r?\n/)) {
    if (oldLeft > 0 || newLeft > 0) {
      if (line.startsWith('\\')) continue;
      const c = line[0];
      if (c === '-') oldLeft--;
      else if (c === '+') newLeft--;
      else {
        oldLeft--;
        newLeft--;
      }
      continue;
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      continue;
    }
    // `git apply` strips one leading component (-p1) from diff and ---/+++ names,
    // whatever it is, so we do the same: `+++ src/a.ts` really writes `a.ts`.
    const add = (name: string | null, stripPrefix: boolean) => {
      if (name === null || name === '/dev/null') return;
      const slash = name.indexOf('/');
      const stripped = stripPrefix && slash >= 0 ? name.slice(slash + 1).replace(/^\/+/, '') : name;
      if (stripped !== '') out.add(stripped);
    };
    if (line.startsWith('diff --git ')) {
      const names = splitGitNames(line.slice('diff --git '.length));
      for (const n of names) add(n, true);
      continue;
    }
    const header = /^(\+\+\+|---) (.*)$/.exec(line);
    if (header) {
      add(gitName(header[2]!, true), true);
      continue;
    }
    const move = /^(?:rename|copy) (?:from|to) (.*)$/.exec(line);
    if (move) add(gitName(move[1]!, false), false);
  }
  return [...out];
}

/** Raw (not yet canonical) path strings named by a call's arguments. */
export function rawCallPaths(tool: string, args: Record<string, unknown> | undefined | null): string[] {
  if (!args || typeof args !== 'object') return [];
  const a = args as Record<string, unknown>;
  const out: string[] = [];
  if ((BUILTIN_TOOL_NAMES as readonly string[]).includes(tool)) {
    out.push(...stringsOf(a.paths), ...stringsOf(a.path));
    const writes = a.writes;
    if (Array.isArray(writes)) {
      for (const w of writes) {
        if (typeof w === 'string') out.push(w);
        else if (w && typeof w === 'object' && typeof (w as { path?: unknown }).path === 'string') out.push((w as { path: string }).path);
      }
    } else if (writes && typeof writes === 'object') {
      out.push(...Object.keys(writes));
    }
    if (typeof a.diff === 'string') out.push(...diffTouchedFiles(a.diff));
    return out;
  }
  return genericPathArgs(a);
}

/**
 * Paths named by a non-built-in tool's arguments (MCP tools behind the proxy or the
 * gate, host tools): string or list-of-string values of the GENERIC_PATH_ARGS.
 */
export function genericPathArgs(args: Record<string, unknown> | undefined | null): string[] {
  if (!args || typeof args !== 'object') return [];
  const out: string[] = [];
  for (const name of GENERIC_PATH_ARGS) out.push(...stringsOf(args[name]));
  return out;
}

/**
 * Canonical absolute paths of every file a call names (SPEC §4.5). Throws on a NUL
 * byte, so a caller that catches it denies (fail closed).
 */
export function extractCallPaths(tool: string, args: Record<string, unknown> | undefined | null, cwd: string): string[] {
  const seen = new Set<string>();
  for (const p of rawCallPaths(tool, args)) seen.add(canonicalPath(p, cwd));
  return [...seen];
}
