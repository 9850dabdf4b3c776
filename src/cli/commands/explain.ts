import type { CAC } from 'cac';
import { readFileSync } from 'node:fs';
import { CliError } from '../errors.js';
import { stringOption } from '../raw-argv.js';
import type { ExplainOptions } from '../explain/request.js';
import { EXIT } from '../../exit-codes.js';

// `aex explain [--policy F] [--contract F] [--host H] CALL`: what the policy decides for
// one call and which rule decides each of its actions (docs/explain.md). Exit 0 whatever
// the decision — explain reports, it does not gate — and 2 on bad input.



function readStdin(): string {
  if (process.stdin.isTTY) return '';
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

async function runExplain(opts: ExplainOptions): Promise<void> {
  const { explainRequest, ExplainInputError } = await import('../explain/request.js');
  const { explain } = await import('../explain/explain.js');
  const { explainJson, renderExplain } = await import('../explain/render.js');
  const cwd = process.cwd();
  try {
    // Values verbatim (cac would turn `--shell 42` into a number); a flag given twice is
    // refused rather than one of its values silently chosen.
    const raw: ExplainOptions = { ...opts };
    for (const name of ['policy', 'contract', 'host', 'tool', 'args', 'shell'] as const) {
      const v = opts[name];
      if (Array.isArray(v)) throw new ExplainInputError(`--${name} is given more than once`);
      if (v !== undefined) raw[name] = stringOption(v, [name]) ?? '';
    }
    for (const [flag, v] of [['--policy', raw.policy], ['--contract', raw.contract]] as const) {
      if (v !== undefined && (typeof v !== 'string' || v === '')) throw new ExplainInputError(`${flag} needs a file path`);
    }
    opts = raw;
    const request = explainRequest(opts, readStdin, cwd);
    const result = await explain({
      request,
      ...(typeof opts.policy === 'string' ? { policy: opts.policy } : {}),
      ...(typeof opts.contract === 'string' ? { contract: opts.contract } : {}),
      processCwd: cwd,
    });
    for (const w of result.warnings) process.stderr.write(`${w}\n`);
    process.stdout.write(opts.json ? JSON.stringify(explainJson(result), null, 2) + '\n' : renderExplain(result, cwd));
  } catch (err) {
    if (err instanceof ExplainInputError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

export function register(cli: CAC): void {
  cli
    .command('explain', 'Show what the policy decides for one call: its actions, the rule that decides each, the refusal text')
    .option('--policy <file>', 'Policy file; default: discovered at the project root as aex gate does')
    .option('--contract <file>', 'Task contract narrowing the policy')
    .option('--host <host>', 'Whose call it is: claude-code (default for a payload on stdin), mcp, codex, gemini, cursor')
    .option('--tool <name>', 'The tool name (an AEX capability, mcp.S.T with --host mcp, a Claude Code tool with --host claude-code)')
    .option('--args <json>', 'The call\'s arguments as a JSON object (with --tool)')
    .option('--shell <line>', 'A shell command line, judged as a shell tool would run it')
    .option('--json', 'Print the actions, rules, decision and the kernel\'s events as JSON')
    .example("aex explain --shell 'git status && rm -rf /'")
    .example('aex explain --tool file.read --args \'{"path": "./src/a.ts"}\'')
    .example('echo \'{"tool_name":"Read","tool_input":{"file_path":"/etc/passwd"}}\' | aex explain')
    .action(async (opts: ExplainOptions) => {
      await runExplain(opts);
    });
}
