// Static checks of one rule for the compiler and the policy loader (docs/language.md):
// AEX014 for a qualifier or `where` test that cannot be read, AEX018 for a qualifier
// whose kind does not fit the capability (a command pattern on file.read).

import { checkCommandPattern } from './command-pattern.js';
import { RuleSyntaxError } from './errors.js';
import { parseHostPattern, parseUrlGlob } from './host-pattern.js';
import { resolvePathGlob } from './path-glob.js';
import { qualifierKind, readsResources } from './qualifier.js';
import type { RuleSpec, WhereTest } from './types.js';

export interface RuleProblem {
  code: 'AEX014' | 'AEX018';
  message: string;
}

const OPS = new Set(['==', '!=', 'in', 'not in', 'matches', 'has']);

function whereProblem(t: WhereTest): string | null {
  if (!Array.isArray(t.arg) || t.arg.length === 0 || t.arg.some((k) => typeof k !== 'string' || k.length === 0)) return 'a where test needs an argument name';
  if (!OPS.has(t.op)) return `unknown where operator ${JSON.stringify(t.op)}`;
  if ((t.op === 'in' || t.op === 'not in') && !Array.isArray(t.value)) return `'${t.op}' needs a list of values`;
  if (t.op === 'matches' && typeof t.value !== 'string') return `'matches' needs a string glob`;
  return null;
}

/** The first problem of a rule, or null. `root` resolves relative path globs (default `/`). */
export function ruleProblem(rule: RuleSpec, root = '/'): RuleProblem | null {
  const kind = qualifierKind(rule.tool);
  const fit = (ok: boolean, what: string): RuleProblem | null =>
    ok ? null : { code: 'AEX018', message: `${rule.tool} takes a ${kind === 'command' ? 'command pattern' : kind === 'network' ? 'host pattern or URL glob' : 'path glob'}, not a ${what}` };
  try {
    if (rule.command !== undefined) {
      const misfit = fit(kind === 'command', 'command pattern');
      if (misfit) return misfit;
      checkCommandPattern(rule.command);
    }
    if (rule.host !== undefined) {
      const misfit = fit(kind === 'network', 'host pattern');
      if (misfit) return misfit;
      parseHostPattern(rule.host);
    }
    if (rule.url !== undefined) {
      const misfit = fit(kind === 'network' || readsResources(rule.tool), 'URL glob');
      if (misfit) return misfit;
      parseUrlGlob(rule.url);
    }
    if (rule.path !== undefined) {
      const misfit = fit(kind === 'path', 'path glob');
      if (misfit) return misfit;
      for (const g of [rule.path, ...(rule.alsoPaths ?? [])]) resolvePathGlob(g, root);
    }
  } catch (e) {
    if (e instanceof RuleSyntaxError) return { code: 'AEX014', message: e.message };
    throw e;
  }
  const count = [rule.command, rule.host, rule.url, rule.path].filter((q) => q !== undefined).length;
  if (count > 1) return { code: 'AEX014', message: 'a rule has at most one qualifier' };
  for (const t of rule.where ?? []) {
    const p = whereProblem(t);
    if (p) return { code: 'AEX014', message: p };
  }
  return null;
}
