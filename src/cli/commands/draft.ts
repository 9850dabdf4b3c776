import type { CAC } from 'cac';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { deriveTaskName, draftContract, EmptyDraftError } from '../../authoring/draft.js';
import type { PolicyContext } from '../../authoring/draft-prompt.js';
import { ModelSetupError, resolveDraftModel } from '../../authoring/model.js';
import { stringOption } from '../raw-argv.js';
import { resolveActivePolicy, ReviewError } from '../../authoring/review.js';
import { sanitizeTaskName } from '../../authoring/templates.js';
import { formatDiagnostic } from '../../compiler/diagnostics.js';
import { formatRule } from '../../rules/format.js';
import { CliError } from '../errors.js';
import { EXIT } from '../../exit-codes.js';
import { displayPath } from '../../io/display-path.js';

interface DraftOptions {
  model?: unknown;
  modelHandler?: unknown;
  name?: unknown;
  out?: unknown;
  policy?: unknown;
  fromPlan?: unknown;
  maxRetries?: unknown;
  force?: boolean;
}

const MAX_RETRIES_LIMIT = 10;

function timestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}


function parseRetries(raw: string | undefined): number {
  if (raw === undefined) return 1;
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_RETRIES_LIMIT) {
    throw new CliError(`--max-retries must be an integer from 0 to ${MAX_RETRIES_LIMIT}`);
  }
  return Number(raw);
}

export function register(cli: CAC): void {
  cli
    .command('draft [prompt]', 'Draft a task contract with a model, validated against the active policy')
    .option('--model <provider>', 'PROVIDER[:MODEL]: openai, anthropic or ollama (or env AEX_MODEL)')
    .option('--model-handler <module>', 'ES module whose default export is a LangChain chat model or a function')
    .option('--name <name>', 'Task name (default: derived from the prompt)')
    .option('--out <file>', 'Where to save (default .aex/runs/YYYYMMDD-HHMMSS-NAME.aex)')
    .option('--policy <file>', 'Policy file (.aex or JSON; default: .aex/policy.aex, then aex.policy.aex)')
    .option('--from-plan <file>', 'Send this file\'s text to the model instead of the prompt')
    .option('--max-retries <n>', 'Extra attempts after an invalid draft (default 1)')
    .option('--force', 'Overwrite an existing --out file')
    .example('aex draft "fix the failing test in src/foo.ts" --model anthropic')
    .action(async (promptArg: string | undefined, opts: DraftOptions) => {
      const cwd = process.cwd();
      const prompt = promptArg?.trim() ?? '';
      const planOpt = stringOption(opts.fromPlan, ['from-plan']);
      let request = prompt;
      if (planOpt !== undefined) {
        const plan = path.resolve(cwd, planOpt);
        if (!existsSync(plan)) throw new CliError(`Plan file not found: ${plan}`);
        request = readFileSync(plan, 'utf8').trim();
        if (request === '') throw new CliError(`Plan file is empty: ${plan}`);
      }
      if (request === '') throw new CliError('draft needs a PROMPT (or --from-plan FILE)');

      const maxRetries = parseRetries(stringOption(opts.maxRetries, ['max-retries']));
      const nameOpt = stringOption(opts.name, ['name']);
      const name = nameOpt !== undefined && nameOpt !== '' ? sanitizeTaskName(nameOpt) : deriveTaskName(prompt);

      // Decide where the draft goes before spending a model call on it.
      const outOpt = stringOption(opts.out, ['out']);
      let out: string;
      const explicitOut = outOpt !== undefined && outOpt !== '';
      if (explicitOut) {
        out = path.resolve(cwd, outOpt);
        if (existsSync(out) && !opts.force) throw new CliError(`${displayPath(out, cwd)} already exists; use --force to overwrite it`);
      } else {
        const base = path.join(cwd, '.aex', 'runs', `${timestamp(new Date())}-${name}`);
        out = `${base}.aex`;
        for (let n = 2; existsSync(out); n++) out = `${base}-${n}.aex`;
      }

      let policyContext: { layer: import('../../rules/types.js').PermissionLayer; context: PolicyContext } | undefined;
      try {
        const loaded = await resolveActivePolicy(stringOption(opts.policy, ['policy']), cwd);
        if (loaded) {
          policyContext = {
            layer: loaded.layer,
            context: {
              path: displayPath(loaded.file, cwd),
              text: readFileSync(loaded.file, 'utf8'),
              allow: loaded.layer.allow.map((r) => formatRule(r)),
              deny: loaded.layer.deny.map((r) => formatRule(r)),
            },
          };
        }
      } catch (err) {
        if (err instanceof ReviewError) throw new CliError(err.message);
        throw err;
      }

      let model;
      try {
        const spec = stringOption(opts.model, ['model']);
        const handler = stringOption(opts.modelHandler, ['model-handler']);
        model = await resolveDraftModel({ ...(spec ? { model: spec } : {}), ...(handler ? { handler } : {}), cwd });
      } catch (err) {
        if (err instanceof ModelSetupError) throw new CliError(err.message);
        throw err;
      }
      if (!model) throw new CliError('draft needs a model: use --model PROVIDER[:MODEL], --model-handler MODULE, or set AEX_MODEL');

      let result;
      try {
        result = await draftContract({
          request,
          name,
          model,
          maxRetries,
          ...(policyContext ? { policy: policyContext } : {}),
          onAttempt: (a, i, total) => {
            if (a.ok) return;
            const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
            process.stderr.write(`draft attempt ${i}/${total}: ${errors} error${errors === 1 ? '' : 's'}${i < total ? ', asking the model to fix them' : ''}\n`);
          },
        });
      } catch (err) {
        if (err instanceof EmptyDraftError) throw new CliError(err.message);
        if (err instanceof CliError) throw err;
        throw new CliError(`model call failed: ${(err as Error).message}`);
      }

      const rel = displayPath(out, cwd);
      try {
        writeFileAtomic(out, result.text, { mkdir: true, exclusive: !(explicitOut && opts.force) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(`${rel} already exists; use --force to overwrite it`);
        throw new CliError(`cannot write ${rel}: ${(err as Error).message}`);
      }
      if (result.ok) {
        for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d, result.text, rel) + '\n');
        process.stdout.write(`✔ Draft saved to ${rel}\n`);
        return;
      }
      process.stdout.write(`⚠ Draft saved to ${rel} (has validation issues)\n`);
      for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d, result.text, rel) + '\n');
      process.exitCode = EXIT.failed;
    });
}
