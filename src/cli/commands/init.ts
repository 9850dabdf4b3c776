import type { CAC } from 'cac';
import { initPolicy, initTask, type InitResult } from '../../authoring/init.js';
import { stringOption } from '../../authoring/raw-option.js';
import { DEFAULT_TASK_NAME } from '../../authoring/templates.js';
import { CliError } from '../errors.js';

interface InitOptions {
  policy?: boolean;
  task?: unknown;
  claudeCode?: boolean;
  mcp?: boolean;
}

function report(r: InitResult): void {
  for (const s of r.skipped) process.stderr.write(`skip ${s} already exists\n`);
  for (const m of r.messages) process.stdout.write(`${m}\n`);
}

type AdapterInit = (cwd: string) => InitResult | Promise<InitResult>;

// The adapters are loaded only when their flag is given (start-up time, and they pull
// in their own dependencies). The specifier is a variable so this file does not depend
// on the adapters at compile time.
async function loadAdapter(specifier: string, exportName: string, flag: string): Promise<AdapterInit> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new CliError(`aex init ${flag} is not available in this build`);
    }
    throw err;
  }
  const fn = mod[exportName];
  if (typeof fn !== 'function') throw new CliError(`aex init ${flag} is not available in this build`);
  return fn as AdapterInit;
}

export function register(cli: CAC): void {
  cli
    .command('init', 'Create starter files: a task (default), a policy, Claude Code or MCP wiring; never overwrites')
    .option('--policy', 'Create .aex/policy.aex (the repository policy, its git remotes allowed) and its starter test .aex/policy.test.aex')
    .option('--task [name]', `Create tasks/NAME.aex with inputs and a JSON policy (default name ${DEFAULT_TASK_NAME})`)
    .option('--claude-code', 'Wire `aex gate` into .claude/settings.json as a PreToolUse hook')
    .option('--mcp', 'Create the MCP proxy configuration')
    .example('aex init --policy')
    .example('aex init --task fix-test')
    .action(async (opts: InitOptions) => {
      const cwd = process.cwd();
      const wantTask = opts.task !== undefined && opts.task !== false;
      const nothingElse = !opts.policy && !opts.claudeCode && !opts.mcp;
      try {
        if (opts.policy) report(initPolicy(cwd));
        if (wantTask || nothingElse) {
          const raw = wantTask ? stringOption(opts.task, ['task']) : undefined;
          report(initTask(cwd, raw === undefined || raw === '' ? DEFAULT_TASK_NAME : raw));
        }
        if (opts.claudeCode) {
          const mod = await loadAdapter('../../adapters/claude-code/init.js', 'initClaudeCode', '--claude-code');
          report(await mod(cwd));
        }
        if (opts.mcp) {
          const mod = await loadAdapter('../../adapters/mcp/init.js', 'initMcp', '--mcp');
          report(await mod(cwd));
        }
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw new CliError((err as Error).message);
      }
    });
}
