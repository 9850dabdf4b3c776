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

type AdapterInit = (cwd: string, opts: HostInitOptions) => InitResult | Promise<InitResult>;

/**
 * `aex init --FLAG` → the adapter that writes that host's wiring, loaded only when its flag is
 * given (start-up time; they pull in their own dependencies). Typed imports: tsc checks each.
 */
const HOST_INITS: ReadonlyArray<{ flag: 'claudeCode' | 'codex' | 'gemini' | 'cursor' | 'mcp'; load: () => Promise<AdapterInit> }> = [
  { flag: 'claudeCode', load: async () => (await import('../../adapters/claude-code/init.js')).initClaudeCode },
  { flag: 'codex', load: async () => (await import('../../adapters/codex/init.js')).initCodex },
  { flag: 'gemini', load: async () => (await import('../../adapters/gemini/init.js')).initGemini },
  { flag: 'cursor', load: async () => (await import('../../adapters/cursor/init.js')).initCursor },
  // initMcp's options are its own (listing tools); a host flag like --serve means nothing to it.
  { flag: 'mcp', load: async () => { const { initMcp } = await import('../../adapters/mcp/init.js'); return (cwd) => initMcp(cwd); } },
];

/** What a host's init is told besides the project folder. */

function report(r: InitResult): void {
  for (const s of r.skipped) process.stderr.write(`skip ${s} already exists\n`);
  for (const m of r.messages) process.stdout.write(`${m}\n`);
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
          const init = await h.load();
          report(await init(cwd, { serve: opts.serve === true }));
        }
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw new CliError((err as Error).message);
      }
    });
}
