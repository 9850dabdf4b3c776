// Where relative paths of a command line land (docs/shell.md, docs/paths.md). The base starts as
// the call's cwd; `cd DIR` adds DIR as a further candidate rather than replacing the old
// base, because a failed `cd` leaves the shell where it was (`cd x; rm -r y` may remove
// either y). An unknown DIR, or too many candidates, makes the base unknown: relative
// paths are then unresolved.

import path from 'node:path';
import type { ActionPath, DescribeContext } from '../types.js';
import { needsBase, pathAttr, unresolvedPath } from '../paths.js';
import type { ShellWord } from './words.js';

/** Candidate working directories (absolute, lexical); null when unknown. */
export type Bases = readonly string[] | null;

const MAX_BASES = 16;

/** The bases after `cd DIR` (DIR already quote-removed; undefined when unknown). */
export function basesAfterCd(bases: Bases, dir: string | undefined, ctx: DescribeContext): Bases {
  if (bases === null || dir === undefined || dir === '-' || dir.startsWith('~') && !/^~(\/|$)/.test(dir)) return null;
  const expanded = dir === '~' || dir.startsWith('~/') ? ctx.home + dir.slice(1) : dir;
  const next = new Set(bases);
  for (const base of bases) next.add(path.resolve(base, expanded).normalize('NFC'));
  return next.size > MAX_BASES ? null : [...next];
}

/** A path attribute for a literal path operand, judged against every candidate base. */
export function pathFor(raw: string, bases: Bases, ctx: DescribeContext): ActionPath {
  if (raw === '') return unresolvedPath(raw, 'empty path');
  if (!needsBase(raw) || raw === '~' || raw.startsWith('~/')) return pathAttr(raw, '/', ctx);
  if (raw.startsWith('~')) return unresolvedPath(raw, 'home of another user');
  if (bases === null) return unresolvedPath(raw, 'unknown base');
  const forms: string[] = [];
  for (const base of bases) {
    const one = pathAttr(raw, base, ctx);
    if (one.unresolved) return one;
    forms.push(...one.forms);
  }
  return { given: raw, forms: [...new Set(forms)] };
}

/** A word named as one file (a script, a lock, an option's file): its path, or unresolved when not literal. */
export function literalWordPath(word: ShellWord, bases: Bases, ctx: DescribeContext): ActionPath {
  return word.literal !== undefined ? pathFor(word.literal, bases, ctx) : unresolvedPath(word.text, 'dynamic path');
}

/** What a file operand word touches: a path, a reach (glob with a literal prefix), or unresolved. */
export function wordPath(word: ShellWord, bases: Bases, ctx: DescribeContext): { attr: ActionPath; reach: boolean } {
  if (word.pipe) return { attr: pathFor('/dev/null', null, ctx), reach: false };
  if (word.literal !== undefined) {
    const raw = word.tildeQuoted ? './' + word.literal : word.literal;
    return { attr: pathFor(raw, bases, ctx), reach: false };
  }
  if (word.globPrefix !== undefined) {
    const attr = pathFor(word.globPrefix === '' ? '.' : word.globPrefix, bases, ctx);
    return { attr: { ...attr, given: word.text }, reach: true };
  }
  return { attr: unresolvedPath(word.text, 'dynamic path'), reach: false };
}
