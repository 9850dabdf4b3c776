// How a decision names its rule and its action: in audit events (`rule`, `source`,
// `layer`, `action`) and in the texts the model and the person read (docs/design.md#the-kernel).

import type { RuleSpec } from '../../rules/types.js';
import type { Action, ActionPath } from '../../describe/types.js';
import { formatRule } from '../../rules/format.js';
import type { ActionJudgement } from './types.js';
import { displayPath } from '../../io/display-path.js';

/** `FILE:LINE` with FILE relative to the project root. */
export function ruleSource(rule: RuleSpec, root: string): string | undefined {
  const source = rule.source;
  if (!source) return rule.origin;
  // Every allowed call names its rule's source: kept per rule, for the same file, line and root.
  const known = sourceTexts.get(rule);
  if (known && known.file === source.file && known.line === source.line && known.root === root) return known.text;
  const text = `${displayPath(source.file, root)}:${source.line}`;
  sourceTexts.set(rule, { file: source.file, line: source.line, root, text });
  return text;
}

const sourceTexts = new WeakMap<RuleSpec, { file: string; line: number; root: string; text: string }>();

/** The rule as written, with its keyword when known: `deny shell.exec:"rm -rf *"`. */
export function ruleText(rule: RuleSpec): string {
  return formatRule(rule, { keyword: true });
}

function pathText(p: ActionPath, root: string): string {
  if (p.unresolved || p.forms.length === 0) return p.given;
  return displayPath(p.forms[0]!, root);
}

/** The part of an action that a person recognises: its command, its paths or its host. */
export function actionSubject(action: Action, root: string): string {
  if (action.cap === 'shell.exec') return action.command ?? '';
  if (action.url !== undefined) return action.url;
  if (action.host !== undefined) return action.host;
  const paths = [...(action.paths ?? []), ...(action.reach ?? [])];
  if (paths.length > 0) return paths.map((p) => pathText(p, root)).join(', ');
  return '';
}

/** `{cap, command|paths|host}` of an action, for the `action` field of events. */
export function actionRecord(action: Action, root: string): Record<string, unknown> {
  const out: Record<string, unknown> = { cap: action.cap };
  if (action.cap === 'shell.exec') out.command = action.command ?? '';
  if (action.paths?.length) out.paths = action.paths.map((p) => pathText(p, root));
  if (action.reach?.length) out.reach = action.reach.map((p) => pathText(p, root));
  if (action.host !== undefined) out.host = action.host;
  if (action.url !== undefined) out.url = action.url;
  const unresolved = [...(action.unresolved ?? []), ...[...(action.paths ?? []), ...(action.reach ?? [])].flatMap((p) => (p.unresolved ? [p.unresolved] : []))];
  if (unresolved.length > 0) out.unresolved = unresolved;
  return out;
}

/** Provenance fields of one judgement: rule, source, layer, action. */
export function provenance(j: ActionJudgement, root: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (j.layer === 'protected') {
    out.rule = `protected ${j.protectedEntry ?? ''}`.trim();
  } else if (j.layer === 'grant' && j.rule) {
    // A grant has no file and line: its id says where it came from (docs/grants.md).
    out.rule = `grant ${formatRule(j.rule)}`;
  } else if (j.rule) {
    out.rule = ruleText(j.rule);
    const src = ruleSource(j.rule, root);
    if (src !== undefined) out.source = src;
  }
  if (j.layer) out.layer = j.layer;
  if (j.grant) out.grant = j.grant.id;
  out.action = actionRecord(j.action, root);
  return out;
}

/** Why an action's subject could not be read, for refusal texts. */
function unreadable(action: Action): string {
  const whys = [
    ...(action.unresolved ?? []).map((u) => u.why),
    ...[...(action.paths ?? []), ...(action.reach ?? [])].flatMap((p) => (p.unresolved ? [p.unresolved.why] : [])),
  ];
  if (whys.length === 0) return '';
  const unique = [...new Set(whys)];
  let text = ` (AEX cannot read part of it: ${unique.join(', ')})`;
  if (unique.includes('unknown base')) text += '; use an absolute path';
  return text;
}

function subjectClause(action: Action, root: string): string {
  const s = actionSubject(action, root);
  return s === '' ? action.cap : `${action.cap} ${JSON.stringify(s)}`;
}

/** `denied by 'deny shell.exec:"rm -rf *"' (.aex/policy.aex:7): rm -rf build` */
export function deniedText(j: ActionJudgement, root: string): string {
  const subject = actionSubject(j.action, root) || j.action.cap;
  if (j.layer === 'protected') {
    const entry = j.protectedEntry ? displayPath(j.protectedEntry, root) : 'protected';
    const why = j.action.cap === 'file.write' || j.action.cap === 'file.symlink' ? '' : `, and AEX cannot tell that ${j.action.cap} only reads it`;
    // A path AEX could not resolve is refused because it might be protected, not because it is.
    const uncertain = [...(j.action.paths ?? []), ...(j.action.reach ?? [])].some((p) => p.unresolved !== undefined);
    return `denied: ${subject} ${uncertain ? 'may be' : 'is'} AEX's protected state (${entry}); no agent action may write it${why}${unreadable(j.action)}`;
  }
  const rule = j.rule ? ruleText(j.rule) : 'a deny rule';
  const src = j.rule ? ruleSource(j.rule, root) : undefined;
  let text = `denied by '${rule}'${src ? ` (${src})` : ''}: ${subject}${unreadable(j.action)}`;
  // A search is refused for what lies below its root (docs/paths.md): name the area, point lower.
  if ((j.action.reach?.length ?? 0) > 0 && j.rule?.path !== undefined) text += `; the search reaches ${j.rule.path}: search a narrower path`;
  return text;
}

/** `no rule allows shell.exec "curl example.com" under policy workspace (.aex/policy.aex)` */
export function notAllowedText(j: ActionJudgement, layerName: string, root: string): string {
  let text = `no rule allows ${subjectClause(j.action, root)} under ${layerName}${unreadable(j.action)}`;
  const searches = (j.action.reach?.length ?? 0) > 0;
  if (searches) text += '; search a narrower path';
  return text;
}

/** `confirmation required by 'confirm before shell.exec:"git push *"' (.aex/policy.aex:9): git push` */
export function confirmText(j: ActionJudgement, root: string): string {
  const rule = j.rule ? ruleText(j.rule) : 'a confirm rule';
  const src = j.rule ? ruleSource(j.rule, root) : undefined;
  const subject = actionSubject(j.action, root) || j.action.cap;
  return `confirmation required by '${rule}'${src ? ` (${src})` : ''}: ${subject}`;
}
