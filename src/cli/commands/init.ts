import type { CAC } from 'cac';
import { initPolicy, initTask, type InitResult } from '../../authoring/init.js';
import type { HostInitOptions } from '../../adapters/init-files.js';
import { stringOption } from '../raw-argv.js';
import { DEFAULT_TASK_NAME } from '../../authoring/templates.js';
import { CliError } from '../errors.js';

interface InitOptions {
  policy?: boolean;
  task?: unknown;
  claudeCode?: boolean;
  codex?: boolean;
  gemini?: boolean;
  cursor?: boolean;
  mcp?: boolean;
  serve?: boolean;
}

/** `aex init --FLAG` → the adapter module that writes that host's wiring, and its export. */
const HOST_INITS = [
  { flag: 'claudeCode', option: '--claude-code', module: '../../adapters/claude-code/init.js', fn: 'initClaudeCode' },
  { flag: 'codex', option: '--codex', module: '../../adapters/codex/init.js', fn: 'initCodex' },
  { flag: 'gemini', option: '--gemini', module: '../../adapters/gemini/init.js', fn: 'initGemini' },
  { flag: 'cursor', option: '--cursor', module: '../../adapters/cursor/init.js', fn: 'initCursor' },
  { flag: 'mcp', option: '--mcp', module: '../../adapters/mcp/init.js', fn: 'initMcp' },
] as const;

/** What a host's init is told besides the project folder. */

function report(r: InitResult): void {
  for (const s of r.skipped) process.stderr.write(`skip ${s} already exists\n`);
  for (const m of r.messages) process.stdout.write(`${m}\n`);
}

type AdapterInit = (cwd: string, opts: HostInitOptions) => InitResult | Promise<InitResult>;

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
    .option('--codex', 'Wire `aex gate --host codex` into .codex/ as a PreToolUse hook, fail-closed')
    .option('--gemini', 'Wire `aex gate --host gemini` into .gemini/settings.json as a BeforeTool hook, fail-closed')
    .option('--cursor', 'Wire `aex gate --host cursor` into .cursor/hooks.json with failClosed on every entry')
    .option('--mcp', 'Put `aex proxy` in front of every MCP server of the project (and of the hosts\' MCP configuration)')
    .option('--serve', 'With a host flag: wire the host to a running `aex serve` where the host can (Claude Code http hooks)')
    .example('aex init --policy')
    .example('aex init --task fix-test')
    .action(async (opts: InitOptions) => {
      const cwd = process.cwd();
      const wantTask = opts.task !== undefined && opts.task !== false;
      const hosts = HOST_INITS.filter((h) => opts[h.flag] === true);
      const nothingElse = !opts.policy && hosts.length === 0;
      try {
        if (opts.policy) report(initPolicy(cwd));
        if (wantTask || nothingElse) {
          const raw = wantTask ? stringOption(opts.task, ['task']) : undefined;
          report(initTask(cwd, raw === undefined || raw === '' ? DEFAULT_TASK_NAME : raw));
        }
        for (const h of hosts) {
          const init = await loadAdapter(h.module, h.fn, h.option);
          report(await init(cwd, { serve: opts.serve === true }));
        }
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw new CliError((err as Error).message);
      }
    });
}
