// Does one rule apply to one action? (docs/paths.md, docs/paths.md, docs/language.md, docs/design.md#unresolved-parts.) The kernel asks
// this for every rule and action; it is the only place where a rule's qualifier is held
// against what an action touches.
//
// Two questions, never mixed up:
//   'allow'           — does the rule permit the action for EVERY value its unknown parts
//                        might take? Anything unresolved fails a qualified allow rule.
//   'deny' / 'confirm' — could the rule match for SOME value? Anything unresolved of the
//                        qualifier's kind makes it apply.

import type { RuleSpec } from '../../rules/types.js';
import type { Action, ActionPath } from '../../describe/types.js';
import { toolMatches } from '../../rules/tool-pattern.js';
import { commandPatternMatches } from '../../rules/command-pattern.js';
import { hostPatternMatches, urlGlobMatches } from '../../rules/host-pattern.js';
import { globCoversSubtree, globMayMatchUnder, pathGlobMatches } from '../../rules/path-glob.js';
import { whereHolds } from '../../rules/where.js';

export type MatchMode = 'allow' | 'deny' | 'confirm';

type QualifierKind = 'path' | 'command' | 'network';

/** Unresolved reasons that leave the argv known (docs/design.md#unresolved-parts): patterns still match the argv. */
const ARGV_KNOWN = new Set(['environment', 'git config']);

function ruleQualifier(rule: RuleSpec): QualifierKind | null {
  if (rule.command !== undefined) return 'command';
  if (rule.host !== undefined || rule.url !== undefined) return 'network';
  if (rule.path !== undefined || (rule.alsoPaths?.length ?? 0) > 0) return 'path';
  return null;
}

/** The kind of qualifier that describes an action of this capability. */
function actionKind(action: Action): QualifierKind {
  if (action.cap === 'shell.exec') return 'command';
  if (action.cap === 'network' || action.cap.startsWith('network.')) return 'network';
  // An MCP resource read of a URI that is not a file: matched by URL globs only.
  if (action.url !== undefined) return 'network';
  return 'path';
}

/** The action as a whole is unknown (not just some of its words or paths). */
function isOpaque(action: Action): boolean {
  return (action.unresolved ?? []).some((u) => !ARGV_KNOWN.has(u.why));
}

function globsOf(rule: RuleSpec): string[] {
  const out: string[] = [];
  if (rule.path !== undefined) out.push(rule.path);
  if (rule.alsoPaths) out.push(...rule.alsoPaths);
  return out;
}

function pathInside(p: ActionPath, globs: readonly string[], root: string): boolean {
  if (p.unresolved || p.forms.length === 0) return false;
  return p.forms.every((f) => globs.every((g) => pathGlobMatches(g, root, f)));
}

function pathMayBeInside(p: ActionPath, globs: readonly string[], root: string): boolean {
  if (p.unresolved || p.forms.length === 0) return true;
  return p.forms.some((f) => globs.every((g) => pathGlobMatches(g, root, f)));
}

function reachInside(r: ActionPath, globs: readonly string[], root: string): boolean {
  if (r.unresolved || r.forms.length === 0) return false;
  return r.forms.every((f) => globs.every((g) => globCoversSubtree(g, root, f)));
}

function reachMayTouch(r: ActionPath, globs: readonly string[], root: string): boolean {
  if (r.unresolved || r.forms.length === 0) return true;
  return r.forms.some((f) => globs.every((g) => globMayMatchUnder(g, root, f)));
}

function qualifierPermits(rule: RuleSpec, kind: QualifierKind, action: Action, root: string): boolean {
  switch (kind) {
    case 'path': {
      const paths = action.paths ?? [];
      const reach = action.reach ?? [];
      if (paths.length + reach.length === 0) return false;
      const globs = globsOf(rule);
      return paths.every((p) => pathInside(p, globs, root)) && reach.every((r) => reachInside(r, globs, root));
    }
    case 'command':
      return action.argv !== undefined && commandPatternMatches(rule.command!, action.argv, 'every');
    case 'network':
      if (rule.url !== undefined) return action.url !== undefined && urlGlobMatches(rule.url, action.url);
      return action.host !== undefined && hostPatternMatches(rule.host!, action.host);
  }
}

function qualifierMayMatch(rule: RuleSpec, kind: QualifierKind, action: Action, root: string): boolean {
  switch (kind) {
    case 'path': {
      const globs = globsOf(rule);
      return (
        (action.paths ?? []).some((p) => pathMayBeInside(p, globs, root)) ||
        (action.reach ?? []).some((r) => reachMayTouch(r, globs, root))
      );
    }
    case 'command':
      return action.argv !== undefined && commandPatternMatches(rule.command!, action.argv, 'some');
    case 'network':
      if (actionKind(action) !== 'network') return false;
      if (rule.url !== undefined) return action.url === undefined || urlGlobMatches(rule.url, action.url);
      return action.host === undefined || hostPatternMatches(rule.host!, action.host);
  }
}

/**
 * Does `rule` apply to `action`? `root` is the directory the rule's relative globs are
 * read against (the project root of the rule's layer). Throws nothing the caller must
 * not treat as a denial: the kernel wraps every decision in a fail-closed catch.
 */
export function ruleAppliesToAction(rule: RuleSpec, action: Action, root: string, mode: MatchMode): boolean {
  if (!toolMatches(action.cap, rule.tool)) return false;
  if (rule.where && rule.where.length > 0 && !whereHolds(rule.where, action.args ?? {})) return false;
  const kind = ruleQualifier(rule);
  // A rule without a qualifier is about the capability alone, whatever is unknown.
  if (kind === null) return true;
  if (mode === 'allow') {
    // docs/design.md#unresolved-parts: a qualified allow rule never permits what could not be read.
    if ((action.unresolved?.length ?? 0) > 0) return false;
    return qualifierPermits(rule, kind, action, root);
  }
  if (isOpaque(action) && kind === actionKind(action)) return true;
  return qualifierMayMatch(rule, kind, action, root);
}
