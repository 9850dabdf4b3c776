import type { CAC } from 'cac';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ask, interactive, isYes } from '../../authoring/ask.js';
import { stringOption } from '../raw-argv.js';
import { formatReview, ReviewError, reviewTask, type ReviewResult } from '../../authoring/review.js';
import { formatDiagnostic } from '../../compiler/diagnostics.js';
import { findStep } from '../../ir/visit.js';
import { CliError } from '../errors.js';
import { readInputsFile } from '../../runtime/inputs.js';
import { EXIT } from '../../exit-codes.js';

interface ReviewOptions {
  json?: boolean;
  policy?: unknown;
  run?: boolean;
  yes?: boolean;
  model?: unknown;
  modelHandler?: unknown;
  inputs?: unknown;
  autoConfirm?: boolean;
}

function readInputs(file: string | undefined): Record<string, unknown> {
  if (file === undefined || file === '') return {};
  try {
    return readInputsFile(resolve(file));
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

async function runReviewed(review: ReviewResult, opts: ReviewOptions): Promise<void> {
  const { summary, file, ir } = review;
  if (!summary.valid || !ir) throw new CliError('Cannot run: task has validation errors.');
  if (!summary.runsUnderPolicy) throw new CliError('Cannot run: task exceeds current policy.');

  readInputs(stringOption(opts.inputs, ['inputs'])); // fail before asking, not after
  // The same model resolution as `aex run` (docs/cli.md).
  const { resolveModel, ModelSetupError } = await import('../../runtime/models/index.js');
  const spec = stringOption(opts.model, ['model']);
  const handler = stringOption(opts.modelHandler, ['model-handler']);
  let model;
  try {
    model = await resolveModel({ ...(spec ? { model: spec } : {}), ...(handler ? { handler } : {}) });
  } catch (err) {
    if (err instanceof ModelSetupError) throw new CliError(err.message);
    throw err;
  }
  if (!model && findStep(ir.steps, (s) => s.op === 'make')) {
    throw new CliError("This task has 'make' steps requiring a model. Use --model <provider> or set AEX_MODEL.");
  }

  // --yes answers only this question; confirmation gates are separate (docs/cli.md).
  if (!opts.yes) {
    if (!interactive()) throw new CliError('Non-interactive terminal. Use --yes to skip approval.');
    if (!isYes(await ask('Approve and run? [y/N]: '))) {
      process.stdout.write('Cancelled.\n');
      return;
    }
  }

  // From here on this is exactly `aex run` (same loader, models, tools, confirmation
  // prompt, audit file): `--auto-confirm` is the only thing that approves a gate.
  process.stderr.write(`Executing... ${summary.source.task}\n`);
  const { runCommand } = await import('./run.js');
  const flags: Parameters<typeof runCommand>[1] = {};
  const inputsPath = stringOption(opts.inputs, ['inputs']);
  const policyPath = stringOption(opts.policy, ['policy']);
  if (inputsPath !== undefined) flags.inputs = inputsPath;
  if (policyPath !== undefined) flags.policy = policyPath;
  if (spec !== undefined) flags.model = spec;
  if (handler !== undefined) flags.modelHandler = handler;
  if (opts.autoConfirm) flags.autoConfirm = true;
  const code = await runCommand(file, flags, process.argv);
  if (code === 0) process.stderr.write('runtime success\n');
  process.exitCode = code;
}

export function register(cli: CAC): void {
  cli
    .command('review <file>', 'Show what a task contract may do under the active policy; exit 1 if invalid or out of policy')
    .option('--json', 'Print the summary as JSON')
    .option('--policy <file>', 'Policy file (.aex or JSON; default: .aex/policy.aex, then aex.policy.aex)')
    .option('--run', 'Run the task after review (asks for approval on a terminal)')
    .option('--yes', 'Skip the "Approve and run?" question (confirmation gates still apply)')
    .option('--model <provider>', 'Model for make steps: PROVIDER[:MODEL] (openai, anthropic, ollama) or env AEX_MODEL')
    .option('--model-handler <module>', 'ES module whose default export is a chat model or a make handler')
    .option('--inputs <file>', 'Inputs JSON object for --run')
    .option('--auto-confirm', 'Approve every confirmation gate during --run')
    .example('aex review .aex/runs/20260101-120000-fix_failing_test.aex')
    .example('aex review tasks/fix-test.aex --policy org.policy.json --run --yes --inputs tasks/fix-test.inputs.json')
    .action(async (file: string, opts: ReviewOptions) => {
      let review: ReviewResult;
      try {
        review = await reviewTask(file, { policyPath: stringOption(opts.policy, ['policy']) });
      } catch (err) {
        if (err instanceof ReviewError) throw new CliError(err.message);
        throw err;
      }
      const { summary } = review;
      if (opts.json) {
        process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      } else {
        process.stdout.write(formatReview(summary));
        const text = readFileSync(review.file, 'utf8');
        for (const d of review.diagnostics) process.stderr.write(formatDiagnostic(d, text, summary.source.task) + '\n');
      }
      if (opts.run) {
        await runReviewed(review, opts);
        return;
      }
      if (!summary.valid || !summary.runsUnderPolicy) process.exitCode = EXIT.failed;
    });
}
