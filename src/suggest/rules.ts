// The narrowest rules that would have allowed what an audit shows refused or confirmed
// (`aex suggest`, docs/policy-tests.md). Never a rule for what a deny rule or protected
// state refused, and never one for an action AEX could not read: those are notes.
//
//   commands  the program and its fixed leading words; `*` only where the calls differ
//             or a word was not literal (`$F`, a glob)
//   paths     the narrowest directory glob (`./src/lib/**`); a file at the project root,
//             or outside the project, is named exactly
//   hosts     the exact host
//   others    the capability itself

import path from 'node:path';
import { formatQualifier } from '../rules/format.js';
import { parseRuleText } from '../compiler/rule-text.js';
import type { Finding } from './read.js';

export interface Suggestion {
  /** The rule, without keyword: `shell.exec:"npm run *"`. */
  rule: string;
  /** The audit lines it would have allowed. */
  seen: string[];
}

export interface Suggestions {
  /** allow rules for calls no rule allowed. */
  allow: Suggestion[];
  /** Calls a confirm rule asked about: a grant answers those in advance (docs/grants.md). */
  grants: Suggestion[];
  /** What is deliberately not suggested, and why. */
  notes: string[];
}

const GLOB_CHARS = /[*?[\]{}]/;

function subjectOf(f: Finding): string {
  if (f.command !== undefined) return `${f.cap} ${JSON.stringify(f.command)}`;
  const p = [...(f.paths ?? []), ...(f.reach ?? [])];
  if (p.length > 0) return `${f.cap} ${p.map((x) => JSON.stringify(x)).join(', ')}`;
  if (f.url !== undefined) return `${f.cap} ${JSON.stringify(f.url)}`;
  if (f.host !== undefined) return `${f.cap} ${JSON.stringify(f.host)}`;
  return f.cap;
}

/** A word that stands for something AEX did not know when it decided. */
function notLiteral(word: string): boolean {
  return /[$`*?[\]{}~]/.test(word) || word === '';
}

/** The pattern words of a command: unknown words become `*`, repeated `*` collapse. */
function patternWords(command: string): string[] {
  const out: string[] = [];
  for (const w of command.split(' ')) {
    const p = notLiteral(w) ? '*' : w;
    if (p === '*' && out[out.length - 1] === '*') continue;
    out.push(p);
  }
  return out;
}

function commandRule(cap: string, words: string[]): string {
  return `${cap}:${JSON.stringify(words.join(' '))}`;
}

/** The narrowest patterns for a set of commands: grouped by program and first word. */
function commandPatterns(cap: string, found: Array<{ words: string[]; seen: string }>): Suggestion[] {
  const groups = new Map<string, Array<{ words: string[]; seen: string }>>();
  for (const c of found) {
    const second = c.words[1];
    const key = second !== undefined && second !== '*' && !second.startsWith('-') ? `${c.words[0]} ${second}` : c.words[0]!;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const out: Suggestion[] = [];
  for (const group of groups.values()) {
    const distinct = [...new Set(group.map((c) => c.words.join(' ')))];
    let words: string[];
    if (distinct.length === 1) {
      words = group[0]!.words;
    } else {
      const lists = group.map((c) => c.words);
      const prefix: string[] = [];
      for (let i = 0; lists.every((l) => l[i] !== undefined && l[i] !== '*' && l[i] === lists[0]![i]); i++) prefix.push(lists[0]![i]!);
      words = [...prefix, '*'];
    }
    out.push({ rule: commandRule(cap, words), seen: group.map((c) => c.seen) });
  }
  return out;
}

/** `./src/lib/**` for `src/lib/a.ts`; exact for a file at the root or outside the project. */
function pathGlob(p: string, root: string | undefined, isReach: boolean): string {
  let rel = p;
  if (path.isAbsolute(p) && root !== undefined) {
    const r = path.relative(root, p);
    if (r === '') return './**';
    if (!r.startsWith('..') && !path.isAbsolute(r)) rel = r;
  }
  if (path.isAbsolute(rel)) return isReach ? `${rel.replace(/\/+$/, '')}/**` : rel;
  if (rel === '.' || rel === './') return './**';
  const clean = rel.replace(/^\.\//, '');
  if (isReach) return `./${clean}/**`;
  const dir = path.posix.dirname(clean);
  return dir === '.' ? `./${clean}` : `./${dir}/**`;
}

/** Is glob `a` (`./x/**`) covering `b`? */
function covers(a: string, b: string): boolean {
  if (a === b) return true;
  if (!a.endsWith('/**')) return false;
  const base = a.slice(0, -2);
  return b.startsWith(base);
}

function hostOf(f: Finding): string | undefined {
  if (f.host !== undefined) return f.host;
  if (f.url === undefined) return undefined;
  try {
    return new URL(f.url).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** The exact rule for one action (a grant never widens). */
function exactRule(f: Finding): string | undefined {
  if (f.command !== undefined) return patternWords(f.command).includes('*') ? undefined : commandRule(f.cap, f.command.split(' '));
  const paths = [...(f.paths ?? [])];
  if (paths.length === 1 && (f.reach ?? []).length === 0) return GLOB_CHARS.test(paths[0]!) ? undefined : `${f.cap}:${formatQualifier(paths[0]!)}`;
  if (paths.length + (f.reach ?? []).length > 0) return undefined;
  const host = hostOf(f);
  if (host !== undefined) return `${f.cap}:${formatQualifier(host)}`;
  return f.cap;
}

function ruleParses(rule: string): boolean {
  return parseRuleText(rule, 'allow').rule !== undefined;
}

function add(list: Suggestion[], rule: string, seen: string[]): void {
  const known = list.find((s) => s.rule === rule);
  if (known) known.seen.push(...seen);
  else list.push({ rule, seen: [...seen] });
}

/** `root`: the project root, so absolute paths inside it become relative globs. */
export function suggestRules(findings: readonly Finding[], root?: string): Suggestions {
  const out: Suggestions = { allow: [], grants: [], notes: [] };
  const notes = new Set<string>();
  const commands = new Map<string, Array<{ words: string[]; seen: string }>>();
  const globs = new Map<string, Map<string, string[]>>();

  for (const f of findings) {
    const subject = subjectOf(f);
    if (f.kind === 'denied') {
      notes.add(`not suggested: ${subject} was refused by '${f.rule ?? 'a deny rule'}'${f.source ? ` (${f.source})` : ''}; a deny rule is not overridden by an allow`);
      continue;
    }
    if (f.kind === 'protected') {
      notes.add(`not suggested: ${subject} is AEX's protected state; no rule lets an agent write it`);
      continue;
    }
    if (f.unresolved) {
      notes.add(`not suggested: ${subject}: AEX could not read part of it, and no allow rule with a qualifier permits what could not be read`);
      continue;
    }
    if (f.kind === 'confirm') {
      const rule = exactRule(f);
      if (rule && ruleParses(rule)) add(out.grants, rule, [f.seen]);
      else notes.add(`not suggested: ${subject} asked for confirmation, and no single exact rule names it`);
      continue;
    }
    if (f.command !== undefined) {
      const words = patternWords(f.command);
      if (words.length === 0 || words[0] === '*') {
        notes.add(`not suggested: ${subject}: its program is not known`);
        continue;
      }
      commands.set(f.cap, [...(commands.get(f.cap) ?? []), { words, seen: f.seen }]);
      continue;
    }
    const paths = [...(f.paths ?? []).map((p) => [p, false] as const), ...(f.reach ?? []).map((p) => [p, true] as const)];
    if (paths.length > 0) {
      if (paths.some(([p]) => GLOB_CHARS.test(p))) {
        notes.add(`not suggested: ${subject}: a path holds glob characters, which a path glob cannot name exactly`);
        continue;
      }
      const byGlob = globs.get(f.cap) ?? new Map<string, string[]>();
      for (const [p, isReach] of paths) {
        const g = pathGlob(p, root, isReach);
        byGlob.set(g, [...(byGlob.get(g) ?? []), f.seen]);
      }
      globs.set(f.cap, byGlob);
      continue;
    }
    const host = hostOf(f);
    add(out.allow, host !== undefined ? `${f.cap}:${formatQualifier(host)}` : f.cap, [f.seen]);
  }

  for (const [cap, found] of commands) for (const s of commandPatterns(cap, found)) add(out.allow, s.rule, s.seen);
  for (const [cap, byGlob] of globs) {
    const all = [...byGlob.keys()];
    for (const [g, seen] of byGlob) {
      // A folder already suggested covers its subfolders.
      const wider = all.find((o) => o !== g && covers(o, g));
      add(out.allow, `${cap}:${formatQualifier(wider ?? g)}`, seen);
    }
  }
  out.allow = out.allow.filter((s) => {
    if (ruleParses(s.rule)) return true;
    notes.add(`not suggested: ${s.rule} is not a rule AEX can read back`);
    return false;
  });
  out.notes = [...notes];
  return out;
}
