import type { CAC } from 'cac';
import path from 'node:path';
import { CliError } from '../errors.js';
import { EXIT } from '../../exit-codes.js';
import { displayPath } from '../../io/display-path.js';

// `aex effective [--policy F] [--contract F] [--json]` (docs/design.md#rules-and-permissions): what a contract
// may do under a policy. The allowed list is the pattern intersection of docs/design.md#rules-and-permissions, so a
// task `use file.*` under `allow file.read, file.write` shows both tools.

interface EffectiveOptions {
  policy?: string;
  contract?: string;
  json?: boolean;
}

export interface EffectiveView {
  policy: string | null;
  contract: string | null;
  allow: string[];
  deny: string[];
  confirm: string[];
  budget: Record<string, number>;
}


export function renderEffective(v: EffectiveView): string {
  const out: string[] = [];
  if (v.policy !== null) out.push(`Policy:   ${v.policy}`);
  if (v.contract !== null) out.push(`Contract: ${v.contract}`);
  out.push('');
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    out.push(`${title}:`, ...items.map((i) => `  ${i}`), '');
  };
  section('Allowed', v.allow);
  section('Denied', v.deny);
  section('Confirmation required', v.confirm);
  section('Budget', Object.entries(v.budget).map(([k, n]) => `${k}=${n}`));
  return out.join('\n') + '\n';
}

async function effective(opts: EffectiveOptions, cwd: string): Promise<void> {
  const { discoverPolicy, loadPolicyFile, loadTaskFile, PolicyError } = await import('../../runtime/policy/load.js');
  const { effectiveAllowList } = await import('../../rules/intersect.js');
  const { formatRule } = await import('../../rules/format.js');
  const { mergePermissions } = await import('../../rules/merge.js');

  for (const [flag, value] of [['--policy', opts.policy], ['--contract', opts.contract]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new CliError(`${flag} needs a file path`);
  }

  const policyFile = opts.policy !== undefined ? path.resolve(cwd, opts.policy) : discoverPolicy(cwd);
  if (policyFile === undefined) {
    process.stderr.write('warn No policy found. Looked for .aex/policy.aex and aex.policy.aex\n');
    if (opts.contract === undefined) {
      process.exitCode = EXIT.failed;
      return;
    }
  }

  const wrap = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      if (err instanceof PolicyError) throw new CliError(err.message, 1);
      throw err;
    }
  };
  const policy = policyFile !== undefined ? await wrap(() => loadPolicyFile(policyFile, { cwd })) : undefined;
  const task = opts.contract !== undefined ? await wrap(() => loadTaskFile(path.resolve(cwd, opts.contract!), { cwd })) : undefined;
  for (const w of [...(policy?.warnings ?? []), ...(task?.warnings ?? [])]) {
    process.stderr.write(`warn ${w.file ? displayPath(w.file, cwd) + ':' : ''}${w.line}:${w.column}: ${w.code}: ${w.message}\n`);
  }

  const perms = mergePermissions({
    ...(task ? { task: task.layer } : {}),
    ...(policy ? { policy: policy.layer } : {}),
    cwd,
  });
  const view: EffectiveView = {
    policy: policyFile !== undefined ? displayPath(policyFile, cwd) : null,
    contract: task ? displayPath(task.file, cwd) : null,
    allow: effectiveAllowList(task?.layer.allow, policy?.layer.allow, cwd).map(formatRule),
    deny: perms.deny.map(formatRule),
    confirm: perms.confirm.map(formatRule),
    budget: perms.budget,
  };
  process.stdout.write(opts.json ? JSON.stringify(view, null, 2) + '\n' : renderEffective(view));
}

export function register(cli: CAC): void {
  cli
    .command('effective', 'Show the effective permissions of a policy, optionally combined with a task contract')
    .option('--policy <file>', 'Policy file (.aex or JSON); default: .aex/policy.aex, then aex.policy.aex')
    .option('--contract <file>', 'Task contract whose requests are intersected with the policy')
    .option('--json', 'Print {policy, contract, allow, deny, confirm, budget} as JSON')
    .example('aex effective --contract tasks/fix-test.aex')
    .action(async (opts: EffectiveOptions) => {
      await effective(opts, process.cwd());
    });
}
