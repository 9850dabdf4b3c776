// Cache of compiled layers, for the start-up time of `aex gate`. It lives in the
// project's state folder (policyCacheDirectory in src/runtime/state-dir.ts), never in the
// workspace. An entry is used only when it is well formed, names the file being loaded
// with the hash of its current bytes, and the SHA-256 of EVERY file it was built from
// (the policy, each file of its `extends` chain, the contract) still matches; anything
// else — no sources, a missing field, a foreign kind, unparsable JSON — is ignored and
// rebuilt, never trusted. Cache write failures are ignored (the layer is still returned).

import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../../io/atomic-write.js';
import path from 'node:path';
import type { PermissionLayer } from '../../rules/types.js';
import { readBoundedBytes } from '../../io/bounded-read.js';
import { readPolicySource } from './compile-document.js';
import type { LoadPolicyOptions } from './types.js';

// 2: layers carry keyword, source, command/host/url/where, shells, root and files (AEX 2).
const CACHE_FORMAT = 2;
/** A cache entry larger than this is not one AEX wrote. */
const MAX_ENTRY_BYTES = 8 * 1024 * 1024;

interface CacheEntry {
  format: number;
  layer: PermissionLayer;
  deps: Array<{ file: string; sha256: string }>;
}

/** The loader a cache miss falls back to: the layer and every file it was built from. */
export type LayerBuilder = (abs: string, opts: LoadPolicyOptions & { cwd: string }) => Promise<{ layer: PermissionLayer; dependencies: string[] }>;

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function currentHash(file: string): string | undefined {
  try {
    return sha256(readBoundedBytes(file, { what: 'policy source' }));
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The entry's layer when the entry is sound and every source is unchanged; else undefined. */
function validLayer(raw: unknown, kind: 'policy' | 'task', abs: string, bytesHash: string): PermissionLayer | undefined {
  if (!isRecord(raw) || raw.format !== CACHE_FORMAT) return undefined;
  const layer = raw.layer;
  if (!isRecord(layer) || layer.kind !== kind) return undefined;
  if (!Array.isArray(layer.allow) || !Array.isArray(layer.deny) || !Array.isArray(layer.confirm) || !isRecord(layer.budget)) return undefined;
  const deps = raw.deps;
  // An entry with no sources says nothing about what it was built from: never valid.
  if (!Array.isArray(deps) || deps.length === 0) return undefined;
  let namesSelf = false;
  for (const d of deps) {
    if (!isRecord(d) || typeof d.file !== 'string' || typeof d.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(d.sha256)) return undefined;
    if (d.file === abs) {
      if (d.sha256 !== bytesHash) return undefined;
      namesSelf = true;
    } else if (currentHash(d.file) !== d.sha256) {
      return undefined;
    }
  }
  return namesSelf ? (layer as unknown as PermissionLayer) : undefined;
}

function readEntry(entryPath: string): unknown {
  try {
    return JSON.parse(readBoundedBytes(entryPath, { what: 'policy cache entry', maxBytes: MAX_ENTRY_BYTES }).toString('utf8'));
  } catch {
    return undefined;
  }
}

function writeEntry(cacheDir: string, entryPath: string, entry: CacheEntry): void {
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    writeFileAtomic(entryPath, JSON.stringify(entry), { mode: 0o600 });
  } catch {
    // a cache that cannot be written is only slower: the layer was built already
  }
}

/**
 * The layer of `file` (a `kind`), from `cacheDir` when a valid entry is there, else
 * built by `build` and remembered. Keyed by the file's path, the cwd, the root and the
 * hash of its bytes.
 */
export async function loadLayerCached(
  kind: 'policy' | 'task',
  file: string,
  cacheDir: string,
  opts: LoadPolicyOptions,
  build: LayerBuilder,
): Promise<PermissionLayer> {
  const cwd = opts.cwd ?? process.cwd();
  const abs = path.resolve(cwd, file);
  const bytes = readPolicySource(abs, kind === 'task' ? 'contract' : 'policy', undefined, false);
  const bytesHash = sha256(bytes);
  const key = sha256(`${CACHE_FORMAT}\0${kind}\0${abs}\0${cwd}\0${opts.root ?? ''}\0${bytesHash}`);
  const entryPath = path.join(cacheDir, `${key}.json`);
  const hit = validLayer(readEntry(entryPath), kind, abs, bytesHash);
  if (hit !== undefined) return hit;
  const { layer, dependencies } = await build(abs, { ...opts, cwd });
  const deps: CacheEntry['deps'] = [];
  for (const d of new Set([abs, ...dependencies])) {
    const h = d === abs ? bytesHash : currentHash(d);
    // A source that cannot be hashed now makes an entry that could never be checked: skip the write.
    if (h === undefined) return layer;
    deps.push({ file: d, sha256: h });
  }
  writeEntry(cacheDir, entryPath, { format: CACHE_FORMAT, layer, deps });
  return layer;
}
