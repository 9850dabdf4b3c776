// Transition module: the AEX 1 call matcher the current kernel (src/runtime/kernel/
// decide.ts) still uses, on top of the new matchers. New code imports from the files
// that own each job: tool-pattern.ts, path-glob.ts, command-pattern.ts,
// host-pattern.ts, where.ts, qualifier.ts, format.ts.

import type { RuleSpec } from './types.js';
import { pathGlobMatches } from './path-glob.js';
import { toolMatches } from './tool-pattern.js';
import { qualifierField } from './qualifier.js';

export { toolMatches, patternWithin } from './tool-pattern.js';
export { formatRule } from './format.js';

export type RuleKind = 'allow' | 'deny' | 'confirm';

/**
 * Does one absolute path match the rule's glob (resolved against cwd)? Lexical only
 * (SPEC-2 §15.3). Deprecated: call pathGlobMatches(glob, root, path).
 */
export function pathMatchesGlob(p: string, glob: string, cwd: string): boolean {
  return pathGlobMatches(glob, cwd, p);
}

/** All globs a rule's path part consists of: its `path` plus any conjunction terms. */
export function ruleGlobs(rule: RuleSpec): string[] {
  const out: string[] = [];
  if (rule.path !== undefined) out.push(rule.path);
  if (rule.alsoPaths) out.push(...rule.alsoPaths);
  return out;
}

/**
 * AEX 1 matching of a call of `tool` touching `paths` (absolute). Deprecated: the AEX 2
 * kernel decides actions with the matchers themselves.
 *  - no qualifier: the tool pattern alone decides;
 *  - allow: the call needs at least one path and every path must match;
 *  - deny / confirm: any matching path is enough.
 * A command, host or url qualifier cannot be judged from paths: an allow rule with one
 * does not match and a deny/confirm rule does. A glob that cannot be evaluated fails
 * closed the same way.
 */
export function ruleMatchesCall(rule: RuleSpec, tool: string, paths: readonly string[], cwd: string, kind: RuleKind = 'allow'): boolean {
  if (!toolMatches(tool, rule.tool)) return false;
  if (rule.command !== undefined || rule.host !== undefined || rule.url !== undefined) return kind !== 'allow';
  const globs = ruleGlobs(rule);
  if (globs.length === 0) return true;
  try {
    const matchesAll = (p: string) => globs.every((g) => pathGlobMatches(g, cwd, p));
    if (kind === 'allow') return paths.length > 0 && paths.every(matchesAll);
    return paths.some(matchesAll);
  } catch {
    return kind !== 'allow';
  }
}

function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    try {
      const v: unknown = JSON.parse(text);
      if (typeof v === 'string') return v;
    } catch {
      /* not a JSON string: keep it as written */
    }
  }
  return text;
}

/**
 * Parses `tool` or `tool:qualifier` (split at the first `:`; a qualifier in double
 * quotes is read as a JSON string). The qualifier goes in the field its capability
 * takes (SPEC-2 §20.1): `command` for shell.*, `host`/`url` for network.*, else `path`.
 */
export function parseRule(text: string): RuleSpec {
  const i = text.indexOf(':');
  if (i < 0) return { tool: text };
  const tool = text.slice(0, i);
  const q = unquote(text.slice(i + 1));
  return { tool, [qualifierField(tool, q)]: q };
}
