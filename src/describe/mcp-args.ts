// Path arguments of MCP, registry and unknown host tools (docs/paths.md). Their argument
// shapes are not known to AEX, so every string at any depth is a path when its key says
// so or its value looks like one; nesting deeper than AEX reads is unresolved rather
// than ignored, so a path cannot be hidden under a tenth level of arrays.

import { fileURLToPath } from 'node:url';
import { unresolvedPath } from './paths.js';
import type { ActionPath } from './types.js';

/** Keys whose string values are paths (compared case-insensitively). */
export const MCP_PATH_KEYS: readonly string[] = [
  'path', 'paths', 'file', 'files', 'file_path', 'filePath', 'filename', 'fileName', 'source', 'destination',
  'src', 'dest', 'dir', 'directory', 'dirs', 'directories', 'root', 'roots', 'cwd', 'folder', 'workdir',
  'repo_path', 'notebook_path', 'uri',
];

const PATH_KEYS = new Set(MCP_PATH_KEYS.map((k) => k.toLowerCase()));
/** Keys whose values are paths only when they are `file:` URIs. */
const URI_KEYS = new Set(['uri', 'url']);

export const MAX_ARG_DEPTH = 8;

const PATH_SHAPE = /^(?:\/|~\/|\.\/|\.\.\/|file:\/\/)/;

/** What a string argument names: a raw path, an unresolved path, or nothing. */
type Found = { raw: string } | { unresolved: ActionPath } | null;

/** The local path of a `file:` URI; unresolved for another host or an encoded `/`. */
export function fileUriPath(value: string): Found {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { unresolved: unresolvedPath(value, 'malformed file URI') };
  }
  if (url.hostname !== '' && url.hostname.toLowerCase() !== 'localhost') {
    return { unresolved: unresolvedPath(value, 'file URI of another host') };
  }
  try {
    return { raw: fileURLToPath(url) };
  } catch {
    return { unresolved: unresolvedPath(value, 'malformed file URI') };
  }
}

function classify(key: string | undefined, value: string): Found {
  const k = key?.toLowerCase();
  const isFileUri = /^file:/i.test(value);
  if (k !== undefined && URI_KEYS.has(k)) return isFileUri ? fileUriPath(value) : null;
  if (isFileUri && (PATH_SHAPE.test(value) || (k !== undefined && PATH_KEYS.has(k)))) return fileUriPath(value);
  if (k !== undefined && PATH_KEYS.has(k)) return { raw: value };
  if (!/\s/.test(value) && PATH_SHAPE.test(value)) return { raw: value };
  return null;
}

/**
 * Every path in `args`, resolved with `resolve` (which decides the base: the MCP
 * server's candidate bases, or the call's cwd). Arrays pass their key on to their
 * elements. Only own properties are read, so `__proto__` and `constructor` are keys
 * like any other.
 */
export function argumentPaths(args: unknown, resolve: (raw: string) => ActionPath): ActionPath[] {
  const out: ActionPath[] = [];
  const walk = (value: unknown, key: string | undefined, depth: number): void => {
    if (typeof value === 'string') {
      const found = classify(key, value);
      if (found === null) return;
      out.push('raw' in found ? resolve(found.raw) : found.unresolved);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (depth > MAX_ARG_DEPTH) {
      out.push(unresolvedPath(key ?? '(arguments)', 'arguments nested too deeply'));
      return;
    }
    if (Array.isArray(value)) {
      for (const v of value) walk(v, key, depth + 1);
      return;
    }
    for (const k of Object.getOwnPropertyNames(value)) walk((value as Record<string, unknown>)[k], k, depth + 1);
  };
  walk(args, undefined, 0);
  return out;
}
