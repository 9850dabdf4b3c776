// Path globs of rules (docs/paths.md). Lexical only: a glob is resolved against its
// layer's root and normalised textually, never through symlinks — the describer gives
// every path in its lexical and physical forms, and the kernel asks about each.
//
//   `**`  any number of segments, none included (`D/**` matches D itself)
//   `*`   any characters within one segment;  `?` one character
//   both match names that start with a dot; every character (`\n`, U+2028 …) is
//   matched like any other; a trailing `/` means the directory and all below it; a
//   glob with no `/` that starts with `*` (`*.env`) matches at any depth under root.

import os from 'node:os';
import path from 'node:path';
import { rootIsCaseInsensitive } from './case-probe.js';
import { RuleSyntaxError } from './errors.js';
import { compileSegments, GLOBSTAR, segmentsMatch, type GlobSegment } from './segments.js';
import { isUniversal, matchesEveryNonEmpty, wildcardMatches } from './wildcard.js';

interface CompiledPathGlob {
  segs: GlobSegment[];
  caseInsensitive: boolean;
}

/**
 * Compiled globs by root, then by case-sensitivity and glob (a `~` glob also by home).
 * Only absolute roots are kept: a relative one resolves against the process's cwd.
 */
interface RootGlobs {
  abs: string;
  byCase: [Map<string, CompiledPathGlob>, Map<string, CompiledPathGlob>];
}
const compiledByRoot = new Map<string, RootGlobs>();
const MAX_CACHED = 2000;

/** The glob as an absolute, lexically normalised text (no `~`, no `.`/`..`, NFC). */
export function resolvePathGlob(glob: string, root: string): string {
  if (glob.length === 0) throw new RuleSyntaxError('empty path glob');
  if (glob.includes('\0')) throw new RuleSyntaxError('path glob contains NUL');
  let g = glob.normalize('NFC');
  if (g === '~' || g.startsWith('~/')) g = os.homedir() + g.slice(1);
  else if (g.startsWith('~')) throw new RuleSyntaxError(`'${glob}': ~user is not supported in a path glob`);
  if (g.endsWith('/')) g += '**';
  else if (!g.includes('/') && g.startsWith('*')) g = '**/' + g;
  const abs = path.posix.isAbsolute(g) ? g : path.posix.join(absoluteRoot(root), g);
  const norm = path.posix.normalize(abs);
  return norm.length > 1 && norm.endsWith('/') ? norm.slice(0, -1) : norm;
}

function absoluteRoot(root: string): string {
  if (root.includes('\0')) throw new RuleSyntaxError('root contains NUL');
  return path.posix.resolve(root.normalize('NFC'));
}

function splitSegments(abs: string): string[] {
  return abs.split('/').filter((s) => s.length > 0);
}

function rootGlobs(root: string): RootGlobs {
  let r = compiledByRoot.get(root);
  if (r) return r;
  r = { abs: absoluteRoot(root), byCase: [new Map(), new Map()] };
  if (root.startsWith('/')) {
    if (compiledByRoot.size > MAX_CACHED) compiledByRoot.clear();
    compiledByRoot.set(root, r);
  }
  return r;
}

function compile(glob: string, root: string): CompiledPathGlob {
  const r = rootGlobs(root);
  // Asked on every call: a test or host may override the probe (setRootCaseInsensitive).
  const caseInsensitive = rootIsCaseInsensitive(r.abs);
  const cache = r.byCase[caseInsensitive ? 1 : 0];
  const key = glob.startsWith('~') ? `${os.homedir()}\0${glob}` : glob;
  let c = cache.get(key);
  if (c) return c;
  const texts = splitSegments(resolvePathGlob(glob, root));
  const segs = compileSegments(caseInsensitive ? texts.map((s) => s.toLowerCase()) : texts);
  c = { segs, caseInsensitive };
  if (cache.size > MAX_CACHED) cache.clear();
  cache.set(key, c);
  return c;
}

/** The segments of an absolute path as the matcher sees them. Throws on NUL or a relative path. */
function pathSegments(absPath: string, caseInsensitive: boolean): readonly string[] {
  const cache = segmentCache[caseInsensitive ? 1 : 0];
  const hit = cache.get(absPath);
  if (hit) return hit;
  if (absPath.includes('\0')) throw new Error('path contains NUL');
  if (!absPath.startsWith('/')) throw new Error(`not an absolute path: ${JSON.stringify(absPath)}`);
  const norm = path.posix.normalize(absPath.normalize('NFC'));
  const split = splitSegments(norm);
  const segs = Object.freeze(caseInsensitive ? split.map((s) => s.toLowerCase()) : split);
  if (cache.size > MAX_CACHED) cache.clear();
  cache.set(absPath, segs);
  return segs;
}

/** Segments of recently matched paths (a pure function of the text): every rule asks again. */
const segmentCache: [Map<string, readonly string[]>, Map<string, readonly string[]>] = [new Map(), new Map()];

/**
 * Does the absolute path match the glob (relative globs resolved against `root`)?
 * Segment-level wildcard matching with `**` as the star: O(glob × path) at worst.
 * Throws RuleSyntaxError for a malformed glob and Error for a path with NUL or a
 * relative path; callers fail closed on any throw.
 */
export function pathGlobMatches(glob: string, root: string, absPath: string): boolean {
  const { segs, caseInsensitive } = compile(glob, root);
  return segmentsMatch(segs, pathSegments(absPath, caseInsensitive));
}

/** Positions of the glob reachable after matching every segment of `dir` (ε-closed). */
function statesAfter(segs: GlobSegment[], names: readonly string[]): Set<number> {
  const close = (s: Set<number>): Set<number> => {
    const out = new Set<number>();
    for (const i0 of [...s].sort((a, b) => a - b)) {
      let i = i0;
      out.add(i);
      while (i < segs.length && segs[i] === GLOBSTAR) out.add(++i);
    }
    return out;
  };
  let states = close(new Set([0]));
  for (const name of names) {
    const next = new Set<number>();
    for (const i of states) {
      if (i >= segs.length) continue;
      const seg = segs[i]!;
      if (seg === GLOBSTAR) next.add(i);
      else if (wildcardMatches(seg, name)) next.add(i + 1);
    }
    states = close(next);
    if (states.size === 0) break;
  }
  return states;
}

/**
 * True when EVERY path in dir's subtree (dir included) matches the glob. Structural:
 * after dir's own segments, the rest of the glob must accept every further sequence
 * of names — only `**` and segments that match any name, with lengths covering all.
 */
export function globCoversSubtree(glob: string, root: string, dir: string): boolean {
  const { segs, caseInsensitive } = compile(glob, root);
  const states = statesAfter(segs, pathSegments(dir, caseInsensitive));
  const exact = new Set<number>();
  let minOpen = Infinity;
  for (const i of states) {
    let fixed = 0;
    let open = false;
    let universal = true;
    for (const seg of segs.slice(i)) {
      if (seg === GLOBSTAR) open = true;
      else if (isUniversal(seg) || matchesEveryNonEmpty(seg)) fixed++;
      else {
        universal = false;
        break;
      }
    }
    if (!universal) continue;
    if (open) minOpen = Math.min(minOpen, fixed);
    else exact.add(fixed);
  }
  if (minOpen === Infinity) return false;
  for (let depth = 0; depth < minOpen; depth++) if (!exact.has(depth)) return false;
  return true;
}

/** True when SOME path in dir's subtree (dir included) may match the glob. */
export function globMayMatchUnder(glob: string, root: string, dir: string): boolean {
  const { segs, caseInsensitive } = compile(glob, root);
  // Every glob segment matches some name, so any reachable position can be completed.
  return statesAfter(segs, pathSegments(dir, caseInsensitive)).size > 0;
}
