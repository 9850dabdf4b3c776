// `aex explain`: what a policy decides for one call, and why. It finds the project
// root and the policy the way `aex gate` does, describes the call with the host's
// describer, and decides it with the kernel's decideCall — the very decision a gate
// would make — then reports every action with the rule that decided it. It reports;
// it never gates, and it neither reads nor charges a session budget.

import { homedir } from 'node:os';
import path from 'node:path';
import type { CallDecision } from '../../runtime/kernel/types.js';
import type { DescribedCall } from '../../describe/types.js';
import type { EffectivePermissions, PermissionLayer } from '../../rules/types.js';
import { decideCall } from '../../runtime/kernel/decide.js';
import { discoverPolicy, loadPolicyFile, loadTaskFile, PolicyError } from '../../runtime/policy/load.js';
import { mergePermissions } from '../../rules/merge.js';
import { assertHostSupported, describeRequest } from './describe.js';
import { projectRootOf } from '../../runtime/policy/project-root.js';
import { ExplainInputError, type ExplainRequest } from './request.js';

export interface ExplainResult {
  root: string;
  policyFile: string;
  contractFile?: string;
  policyName: string;
  request: ExplainRequest;
  call: DescribedCall;
  decision: CallDecision;
  warnings: string[];
}

/** AEX's state directory (docs/design.md#where-state-lives): protected like the gate protects it. */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AEX_STATE_DIR) return path.resolve(env.AEX_STATE_DIR);
  if (env.XDG_STATE_HOME) return path.join(path.resolve(env.XDG_STATE_HOME), 'aex');
  return path.join(homedir(), '.local', 'state', 'aex');
}

/** The project root of a call (docs/design.md#the-project-root-of-a-host-session): the host's own project variable, else the outermost policy. */
function rootOf(req: ExplainRequest, env: NodeJS.ProcessEnv): string {
  const hostRoot = req.host === 'claude-code' ? env.CLAUDE_PROJECT_DIR : undefined;
  if (hostRoot) return path.resolve(hostRoot);
  return projectRootOf(req.cwd);
}

function describePolicyError(err: PolicyError, processCwd: string): string {
  const rel = (f: string) => path.relative(processCwd, f) || f;
  const errors = err.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return err.message;
  return errors.map((d) => `${d.file ? rel(d.file) + ':' : ''}${d.line}:${d.column}: error ${d.code}: ${d.message}`).join('\n');
}

async function loadLayers(policyFile: string, contract: string | undefined, root: string, processCwd: string) {
  try {
    const policy = await loadPolicyFile(policyFile, { cwd: root });
    const task = contract !== undefined ? await loadTaskFile(path.resolve(processCwd, contract), { cwd: root }) : undefined;
    return { policy, task };
  } catch (err) {
    if (err instanceof PolicyError) throw new ExplainInputError(describePolicyError(err, processCwd));
    throw err;
  }
}

export interface ExplainInput {
  request: ExplainRequest;
  policy?: string;
  contract?: string;
  processCwd: string;
  env?: NodeJS.ProcessEnv;
}

export async function explain(input: ExplainInput): Promise<ExplainResult> {
  const { request, processCwd } = input;
  const env = input.env ?? process.env;
  assertHostSupported(request.host);
  const root = rootOf(request, env);
  // --policy does not change the root (docs/design.md#the-project-root-of-a-host-session); discovery looks at the root only.
  const policyFile = input.policy !== undefined ? path.resolve(processCwd, input.policy) : discoverPolicy(root);
  if (policyFile === undefined) {
    throw new ExplainInputError(`no policy found (looked for .aex/policy.aex and aex.policy.aex in ${root}); give one with --policy FILE`);
  }
  const { policy, task } = await loadLayers(policyFile, input.contract, root, processCwd);
  const policyLayer: PermissionLayer = policy.layer;
  const perms: EffectivePermissions = mergePermissions({ policy: policyLayer, ...(task ? { task: task.layer } : {}), cwd: root });
  const described = await describeRequest(request, perms, root);
  const decision = decideCall(described.perms, { callsUsed: 0 }, described.call, { protect: [path.join(stateDirectory(env), '**')] });
  const warnings = [...policy.warnings, ...(task?.warnings ?? [])].map(
    (w) => `${w.file ? path.relative(processCwd, w.file) || w.file : ''}:${w.line}:${w.column}: warning ${w.code}: ${w.message}`,
  );
  return {
    root,
    policyFile,
    ...(task ? { contractFile: task.file } : {}),
    policyName: policyLayer.name,
    request,
    call: described.call,
    decision,
    warnings,
  };
}
