// `aex review` (docs/cli.md): what a task contract may do under the active policy,
// computed with the same loader, merge and pattern algebra as `aex run` — so a JSON
// policy counts exactly as it does at run time.

import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileFile } from '../compiler/index.js';
import type { Diagnostic } from '../compiler/diagnostics.js';
import type { IRDocument, RefExpr, Rule } from '../ir/types.js';
import { visitSteps } from '../ir/visit.js';
import type { PermissionLayer, RuleSpec } from '../rules/types.js';
import { discoverPolicy, layerFromIR, loadPolicyFile, PolicyError, type LoadedPolicy } from '../runtime/policy/load.js';
import { mergePermissions } from '../rules/merge.js';
import { effectiveAllowList, ruleCoveredBy } from '../rules/intersect.js';
import { formatRule } from '../rules/format.js';
import { toolMatches } from '../rules/tool-pattern.js';
import { denyRuleForAnyCall } from '../runtime/kernel/decide.js';
import { AexError } from '../errors.js';
import { displayPath } from '../io/display-path.js';

export interface ReviewSummary {
  task: string;
  goal: string;
  source: { task: string; policy?: string };
  requested: string[];
  denied: string[];
  effective: { allow: string[]; deny: string[]; confirm: string[]; budget?: Record<string, number> };
  checks: string[];
  makeSteps: string[];
  confirmRequired: string[];
  valid: boolean;
  runsUnderPolicy: boolean;
  warnings: string[];
}

export interface ReviewResult {
  summary: ReviewSummary;
  /** Absolute path of the task. */
  file: string;
  ir: IRDocument | null;
  diagnostics: Diagnostic[];
  policy?: LoadedPolicy;
}

export class ReviewError extends AexError {}

const MODEL_MAKE = 'model.make';


function refText(r: RefExpr): string {
  return [r.ref, ...(r.path ?? []).map(String)].join('.');
}

function ruleTexts(rules: Array<Rule | RuleSpec>): string[] {
  return [...new Set(rules.map((r) => formatRule(r)))];
}

/** The policy `aex run` would use: `--policy FILE` (`.aex` or JSON), else discovery in cwd. */
export async function resolveActivePolicy(policyPath: string | undefined, cwd: string): Promise<LoadedPolicy | undefined> {
  const file = policyPath !== undefined ? resolve(cwd, policyPath) : discoverPolicy(cwd);
  if (file === undefined) return undefined;
  try {
    return await loadPolicyFile(file, { cwd });
  } catch (err) {
    if (err instanceof PolicyError) throw new ReviewError(`policy ${displayPath(file, cwd)} cannot be used: ${err.message}`);
    throw err;
  }
}

export async function reviewTask(taskPath: string, opts: { policyPath?: string; cwd?: string } = {}): Promise<ReviewResult> {
  const cwd = opts.cwd ?? process.cwd();
  const file = resolve(cwd, taskPath);
  if (!existsSync(file) || !statSync(file).isFile()) throw new ReviewError(`contract file not found: ${file}`);
  const policy = await resolveActivePolicy(opts.policyPath, cwd);

  const compiled = compileFile(file, { displayPath: file, ...(policy ? { policy: policy.layer } : {}) });
  const ir = compiled.ir;
  if (ir && ir.kind !== 'task') {
    throw new ReviewError(`${displayPath(file, cwd)} is a policy, not a task contract`);
  }
  const diagnostics = compiled.diagnostics;
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const coverageErrors = errors.filter((d) => d.code === 'AEX015');
  // Valid = the contract itself is sound; exceeding the policy is reported separately.
  const valid = ir !== null && errors.every((d) => d.code === 'AEX015');

  const warnings: string[] = [];
  const taskLayer: PermissionLayer | undefined = ir ? layerFromIR(ir, file) : undefined;
  // Fail closed: a task that could not be read cannot be shown to stay inside anything.
  let runsUnderPolicy = ir !== null && coverageErrors.length === 0;

  if (policy && taskLayer) {
    for (const r of taskLayer.allow) {
      if (!ruleCoveredBy(r, policy.layer.allow)) {
        runsUnderPolicy = false;
        warnings.push(`Tool "${formatRule(r)}" requested by task but not in policy allow list.`);
      }
    }
  }

  const calledTools = new Set<string>();
  const checks: string[] = [];
  const makeSteps: string[] = [];
  if (ir) {
    visitSteps(ir.steps, {
      call: (s) => void calledTools.add(s.tool),
      check: (s) => void checks.push(s.text),
      make: (s) => void makeSteps.push(`make ${s.bind}: ${s.type} from ${s.inputs.map(refText).join(', ')}`),
    });
  }

  const perms = mergePermissions({ ...(taskLayer ? { task: taskLayer } : {}), ...(policy ? { policy: policy.layer } : {}), cwd });
  // A call that the policy denies outright (a deny rule without a path part) cannot
  // run: the task exceeds the policy even when the allow lists agree.
  if (policy) {
    const needsModel = makeSteps.length > 0;
    const targets = [...calledTools, ...(needsModel ? [MODEL_MAKE] : [])];
    for (const tool of targets) {
      const rule = denyRuleForAnyCall(policy.layer.deny, tool);
      if (rule) {
        runsUnderPolicy = false;
        warnings.push(`Tool "${tool}" is used by the task but denied by policy rule "${formatRule(rule)}".`);
      }
    }
  }

  for (const d of diagnostics) warnings.push(`${d.code} ${d.message}`);

  const confirmRequired = [...calledTools].filter((t) => perms.confirm.some((r) => toolMatches(t, r.tool)));

  const effective: ReviewSummary['effective'] = {
    allow: taskLayer ? effectiveAllowList(taskLayer.allow, policy?.layer.allow, cwd).map((r) => formatRule(r)) : [],
    deny: ruleTexts(perms.deny),
    confirm: ruleTexts(perms.confirm),
  };
  if (Object.keys(perms.budget).length > 0) effective.budget = perms.budget;

  const summary: ReviewSummary = {
    task: ir?.name ?? displayPath(file, cwd),
    goal: ir?.goal ?? '',
    source: { task: displayPath(file, cwd), ...(policy ? { policy: displayPath(policy.file, cwd) } : {}) },
    requested: ir ? ruleTexts(ir.permissions.use) : [],
    denied: ir ? ruleTexts(ir.permissions.deny) : [],
    effective,
    checks,
    makeSteps,
    confirmRequired,
    valid,
    runsUnderPolicy,
    warnings,
  };
  return { summary, file, ir, diagnostics, ...(policy ? { policy } : {}) };
}

function section(title: string, entries: string[]): string {
  if (entries.length === 0) return '';
  return `${title}\n${entries.map((e) => `  ${e}`).join('\n')}\n\n`;
}

/** The text form of docs/cli.md: same layout as `aex effective`, empty sections omitted. */
export function formatReview(s: ReviewSummary): string {
  let out = `Task: ${s.task}\nGoal: ${s.goal}\n\nSource:\n  Task:   ${s.source.task}\n`;
  if (s.source.policy !== undefined) out += `  Policy: ${s.source.policy}\n`;
  out += '\n';
  out += section('Requested tools:', s.requested);
  out += section('Denied by task:', s.denied);
  out += section('Effective allowed:', s.effective.allow);
  out += section('Effective denied:', s.effective.deny);
  out += section('Confirmation required:', s.effective.confirm);
  out += section('Budget:', Object.entries(s.effective.budget ?? {}).map(([k, v]) => `${k}=${v}`));
  out += section('Required checks:', s.checks);
  out += section('Model-generated steps:', s.makeSteps);
  const status = [
    s.valid ? 'Valid task.' : 'Invalid task.',
    s.runsUnderPolicy ? 'Runs under current policy.' : 'Exceeds current policy.',
  ];
  if (s.confirmRequired.length > 0) status.push(`Requires approval before ${s.confirmRequired.join(', ')}.`);
  out += section('Status:', status);
  out += section('Warnings:', s.warnings);
  return out;
}
