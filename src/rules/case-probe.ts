// Is a directory on a case-insensitive filesystem (docs/paths.md)? Probed once per
// root and cached: matching must not touch the disk on every call.

import { statSync, readdirSync } from 'node:fs';
import path from 'node:path';

const cache = new Map<string, boolean>();

/** Where nothing can be probed, assume what the platform's default filesystem does. */
function platformDefault(): boolean {
  return process.platform === 'darwin' || process.platform === 'win32';
}

function flipCase(name: string): string | null {
  const upper = name.toUpperCase();
  const lower = name.toLowerCase();
  if (upper !== name) return upper;
  if (lower !== name) return lower;
  return null;
}

function sameFile(a: string, b: string): boolean | null {
  try {
    const sa = statSync(a);
    try {
      const sb = statSync(b);
      return sa.dev === sb.dev && sa.ino === sb.ino;
    } catch {
      return false;
    }
  } catch {
    return null;
  }
}

function nearestExisting(dir: string): string {
  let d = path.resolve(dir);
  for (;;) {
    try {
      if (statSync(d).isDirectory()) return d;
    } catch {
      /* keep walking up */
    }
    const up = path.dirname(d);
    if (up === d) return d;
    d = up;
  }
}

function probe(root: string): boolean {
  const dir = nearestExisting(root);
  // A name with letters in the directory's own path: stat it with the case flipped.
  const segs = dir.split('/');
  for (let k = segs.length - 1; k > 0; k--) {
    const flipped = flipCase(segs[k]!);
    if (flipped === null) continue;
    const alt = [...segs.slice(0, k), flipped, ...segs.slice(k + 1)].join('/');
    const same = sameFile(dir, alt);
    if (same !== null) return same;
  }
  // Otherwise an entry of the directory that has letters.
  try {
    for (const name of readdirSync(dir)) {
      const flipped = flipCase(name);
      if (flipped === null) continue;
      const same = sameFile(path.join(dir, name), path.join(dir, flipped));
      if (same !== null) return same;
    }
  } catch {
    /* unreadable: fall through */
  }
  return platformDefault();
}

/** True when paths under `root` compare case-insensitively on disk. */
export function rootIsCaseInsensitive(root: string): boolean {
  let v = cache.get(root);
  if (v === undefined) {
    v = probe(root);
    cache.set(root, v);
  }
  return v;
}

/** Overrides the probe for one root (tests; a host that knows better). */
export function setRootCaseInsensitive(root: string, value: boolean | undefined): void {
  if (value === undefined) cache.delete(root);
  else cache.set(root, value);
}
