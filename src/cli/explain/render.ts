// How `aex explain` prints a decision: for a person, one line per action (decision,
// capability, what it touches, the deciding rule and where it is written), then the
// call's decision and the text the model would see; for machines (`--json`), the same
// facts and the kernel's own events.

import path from 'node:path';
import type { ActionJudgement } from '../../runtime/kernel/types.js';
import { actionSubject, provenance } from '../../runtime/kernel/provenance.js';
import type { ExplainResult } from './explain.js';

/** Control characters (a newline in a path, a tab in a command) are shown escaped, never raw. */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f\u007f\u2028\u2029]/.test(text)) return text;
  // JSON escapes the C0 controls but leaves U+2028/U+2029, which end a line too.
  return JSON.stringify(text).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029').replace(/\u007f/g, '\\u007f');
}

function displayFile(file: string, root: string): string {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function unresolvedWhys(j: ActionJudgement): string[] {
  const a = j.action;
  const whys = [...(a.unresolved ?? []), ...[...(a.paths ?? []), ...(a.reach ?? [])].flatMap((p) => (p.unresolved ? [p.unresolved] : []))].map((u) => u.why);
  return [...new Set(whys)];
}

/** What decided one action, as a person reads it. */
function decidedBy(j: ActionJudgement, root: string, policyName: string, hasContract: boolean): string {
  return visible(decidedByText(j, root, policyName, hasContract));
}

function decidedByText(j: ActionJudgement, root: string, policyName: string, hasContract: boolean): string {
  const p = provenance(j, root);
  if (j.layer === 'protected') {
    const entry = j.protectedEntry !== undefined ? displayFile(j.protectedEntry, root) : '';
    return `protected ${entry} (AEX's own state: no agent action writes it)`.replace('  ', ' ');
  }
  if (typeof p.rule === 'string') return `${p.rule}${typeof p.source === 'string' ? `  ${p.source}` : ''}`;
  // The kernel names the layer that lacked a rule in the call's message; per action it
  // says only that one of the layers present has none.
  if (j.verdict === 'not_allowed') return `no rule allows it under ${hasContract ? `policy ${policyName} or under the contract` : `policy ${policyName}`}`;
  return '';
}

function actionLines(result: ExplainResult): string[] {
  const rows = result.decision.actions.map((j) => {
    const subject = actionSubject(j.action, result.root);
    const whys = unresolvedWhys(j);
    return {
      verdict: j.verdict,
      cap: visible(j.action.cap),
      subject: visible(subject === '' ? '(no arguments)' : subject) + (whys.length ? ` [unreadable: ${whys.join(', ')}]` : ''),
      rule: decidedBy(j, result.root, result.policyName, result.contractFile !== undefined),
    };
  });
  const w = (k: 'verdict' | 'cap' | 'subject') => Math.max(...rows.map((r) => r[k].length));
  const wv = w('verdict');
  const wc = w('cap');
  const ws = Math.min(w('subject'), 48);
  return rows.map((r) => `  ${r.verdict.padEnd(wv)}  ${r.cap.padEnd(wc)}  ${r.subject.padEnd(ws)}  ${r.rule}`.trimEnd());
}

function callLine(result: ExplainResult): string {
  const { request, call } = result;
  const args = JSON.stringify(request.args).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  const name = request.form === 'shell' ? `${visible(request.tool)} ${visible(String(request.args.command))}` : `${visible(request.tool)} ${args}`;
  return call.tool !== request.tool ? `${name}  (capability ${visible(call.tool)})` : name;
}

/** What the model (or, for a confirmation, the person) reads, as a host prints it. */
function modelText(result: ExplainResult): string {
  const d = result.decision;
  switch (d.verdict) {
    case 'allow':
      return 'Runs: the model gets the tool\'s result.';
    case 'confirm':
      return `A person is asked: ${visible(`AEX: ${d.message}`)}`;
    default:
      return `The model sees: ${visible(`AEX: ${d.message}`)}`;
  }
}

export function renderExplain(result: ExplainResult, processCwd: string): string {
  const rel = (f: string) => displayFile(f, processCwd);
  const out = [`Policy:   ${visible(rel(result.policyFile))} (policy ${result.policyName})`];
  if (result.contractFile) out.push(`Contract: ${rel(result.contractFile)}`);
  out.push(`Root:     ${result.root}`);
  out.push(`Host:     ${result.request.host === 'aex' ? 'aex (AEX capabilities)' : result.request.host}`);
  out.push(`Call:     ${callLine(result)}`, '', 'Actions:', ...actionLines(result), '');
  out.push(`Decision: ${result.decision.verdict}`, modelText(result));
  return out.join('\n') + '\n';
}

export function explainJson(result: ExplainResult): Record<string, unknown> {
  const d = result.decision;
  return {
    root: result.root,
    policy: result.policyFile,
    contract: result.contractFile ?? null,
    host: result.request.host,
    call: { tool: result.call.tool, ...(result.call.hostTool !== undefined ? { hostTool: result.call.hostTool } : {}), args: result.call.args },
    actions: d.actions.map((j) => ({ verdict: j.verdict, ...provenance(j, result.root) })),
    decision: d.verdict,
    message: d.verdict === 'allow' ? null : d.message,
    events: d.events,
    proceed: d.proceed,
    warnings: result.warnings,
  };
}
