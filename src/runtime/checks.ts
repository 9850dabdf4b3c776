// Conditions of `check` and `if` (docs/design.md#runtime-semantics). One evaluator; `check` blocks on a
// failure (AEX058) and `if` treats a failure as false.

import { parsePatch, writtenFiles } from '../describe/patch.js';
import type { Cond, Expr } from '../ir/types.js';
import { evalExpr, refText, resolveRef } from './expressions.js';
import type { CondResult, RunState } from './steps/types.js';

/** Text form of a value: strings as is, null/missing "", objects and arrays as JSON. */
export function textOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

const CITATION = /\[[^\]\n]+\]\([^)\s]+\)|\[\d+\]|https?:\/\//;
const DIFF_START = /(^|\n)(diff --git |--- |@@ )/;

/** Normalises a file name for comparison: strip leading `./`, collapse `//` and `.` segments. */
export function normalizeFile(p: string): string {
  const parts = p.replace(/\\/g, '/').split('/');
  const out: string[] = [];
  parts.forEach((seg, i) => {
    if (seg === '.' || (seg === '' && i > 0 && i < parts.length)) return;
    out.push(seg);
  });
  let s = out.join('/');
  if (s === '') s = p.startsWith('/') ? '/' : '';
  return s;
}

/**
 * Files a unified diff writes, read by the one patch parser (docs/paths.md), so `check …
 * touches only …` sees exactly the files the kernel judges; [] for a diff the parser
 * refuses (diffError says why).
 */
export function filesOfDiffText(text: string): string[] {
  const reading = parsePatch(text);
  if ('error' in reading) return [];
  return [...new Set(writtenFiles(reading).map(normalizeFile).filter((f) => f !== ''))];
}

/** Why the parser refuses a diff string; undefined when it reads it. */
export function diffError(text: string): string | undefined {
  const reading = parsePatch(text);
  return 'error' in reading ? reading.error : undefined;
}

/** Touched files of any patch-like value (string diff, list of names or file objects, object). */
export function touchedFiles(v: unknown, depth = 0): string[] {
  if (depth > 8) return [];
  if (typeof v === 'string') return filesOfDiffText(v);
  const out: string[] = [];
  if (Array.isArray(v)) {
    for (const e of v) {
      if (typeof e === 'string') out.push(normalizeFile(e));
      else if (e !== null && typeof e === 'object') {
        const o = e as Record<string, unknown>;
        const name = [o.path, o.file, o.newPath].find((x) => typeof x === 'string') as string | undefined;
        if (name !== undefined) out.push(normalizeFile(name));
      }
    }
    return out.filter((f) => f !== '');
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.files)) return touchedFiles(o.files, depth + 1);
    if (typeof o.diff === 'string') return touchedFiles(o.diff, depth + 1);
    if (typeof o.path === 'string') return [normalizeFile(o.path)].filter((f) => f !== '');
  }
  return [];
}

/** The valid-diff test of docs/design.md#runtime-semantics (an empty array fails). */
export function isValidDiff(v: unknown, depth = 0): boolean {
  if (depth > 8) return false;
  if (typeof v === 'string') return DIFF_START.test(v) && filesOfDiffText(v).length > 0;
  if (Array.isArray(v)) {
    if (v.length === 0) return false;
    return v.every((e) => {
      if (typeof e === 'string') return e.length > 0;
      if (e !== null && typeof e === 'object') {
        const o = e as Record<string, unknown>;
        return (typeof o.path === 'string' && o.path !== '') || (typeof o.newPath === 'string' && o.newPath !== '');
      }
      return false;
    });
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.files)) return isValidDiff(o.files, depth + 1);
    if (typeof o.diff === 'string') return isValidDiff(o.diff, depth + 1);
    return typeof o.path === 'string' && o.path !== '';
  }
  return false;
}

function exprText(e: Expr): string {
  if ('ref' in e) return refText(e);
  if ('lit' in e) return textOf(e.lit);
  return JSON.stringify(e);
}

/**
 * Evaluates a condition against the run state. `text` is the condition's canonical source
 * text (used in the `Check "C" evaluated to false.` reason).
 */
export function evalCond(cond: Cond, text: string, state: RunState): CondResult {
  const subjectName = refText(cond.subject);
  const subject = resolveRef(cond.subject, state);
  switch (cond.op) {
    case 'truthy':
      return truthy(subject) ? { pass: true } : { pass: false, reason: `Check "${text}" evaluated to false.` };
    case 'has': {
      const needle = textOf(evalExpr(cond.needle, state));
      return textOf(subject).includes(needle)
        ? { pass: true }
        : { pass: false, reason: `Expected "${subjectName}" to include "${needle}".` };
    }
    case 'has_citations':
      return CITATION.test(textOf(subject))
        ? { pass: true }
        : { pass: false, reason: `Expected "${subjectName}" to contain citations.` };
    case 'not_includes': {
      const needle = textOf(evalExpr(cond.needle, state));
      if (needle === '') return { pass: false, reason: 'needle is empty' };
      if (subject === undefined || subject === null) return { pass: true };
      return textOf(subject).includes(needle)
        ? { pass: false, reason: `Expected "${subjectName}" to avoid "${needle}".` }
        : { pass: true };
    }
    case 'valid_diff':
      return isValidDiff(subject)
        ? { pass: true }
        : { pass: false, reason: `"${subjectName}" does not look like a valid unified diff.` };
    case 'touches_only': {
      const allowed = evalExpr(cond.allowed, state);
      const allowedName = exprText(cond.allowed);
      if (!Array.isArray(allowed) || !allowed.every((a) => typeof a === 'string')) {
        return { pass: false, reason: `"${allowedName}" must be an array of file paths.` };
      }
      const allowedSet = new Set((allowed as string[]).map(normalizeFile));
      const unreadable = typeof subject === 'string' && DIFF_START.test(subject) ? diffError(subject) : undefined;
      if (unreadable !== undefined) return { pass: false, reason: `"${subjectName}" is a diff AEX cannot read: ${unreadable}` };
      const touched = touchedFiles(subject);
      if (touched.length === 0) return { pass: false, reason: 'no files found' };
      const outside = touched.filter((f) => !allowedSet.has(f));
      return outside.length === 0
        ? { pass: true }
        : { pass: false, reason: `Patch touches files outside the allowed set: ${outside.join(', ')}.` };
    }
    default: {
      const op = (cond as { op: string }).op;
      return { pass: false, reason: `Check "${text}" is not supported by the runtime (op ${op}).` };
    }
  }
}
