import type { CAC } from 'cac';
import { compileSource, formatDiagnostic, type Diagnostic } from '../../compiler/index.js';
import { collectAexFiles, readSourceFile } from '../files.js';
import { CliError } from '../errors.js';
import type { PermissionLayer } from '../../rules/types.js';
import { EXIT } from '../../exit-codes.js';

export function register(cli: CAC): void {
  cli
    .command('check [...paths]', 'Validate .aex files (directories are searched recursively)')
    .option('--json', 'Print one JSON object per file: {file, valid, diagnostics}')
    .option('--policy <file>', 'Also check each task against this policy (AEX015)')
    .option('--strict', 'Treat warnings as failures')
    .example('aex check tasks .aex/policy.aex')
    .action(async (paths: string[], opts: { json?: boolean; policy?: string; strict?: boolean }) => {
      if (!paths.length) throw new CliError('check needs at least one FILE or DIR');
      const files = collectAexFiles(paths);
      const policy = opts.policy ? await loadPolicyForCheck(opts.policy) : undefined;
      let failed = 0;
      let errors = 0;
      let warnings = 0;
      for (const file of files) {
        const { text } = readSourceFile(file);
        const res = compileSource(text, { path: file, policy });
        const e = res.diagnostics.filter((d) => d.severity === 'error').length;
        const w = res.diagnostics.length - e;
        errors += e;
        warnings += w;
        const bad = e > 0 || (opts.strict && w > 0);
        if (bad) failed++;
        if (opts.json) {
          process.stdout.write(JSON.stringify({ file, valid: e === 0, diagnostics: res.diagnostics }) + '\n');
        } else {
          printDiagnostics(res.diagnostics, text, file);
        }
      }
      if (!opts.json) {
        const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
        const n = files.length;
        if (failed === 0) process.stdout.write(`✔ ${n} file${n === 1 ? '' : 's'} valid (${counts})\n`);
        else process.stdout.write(`✖ ${failed} of ${n} file${n === 1 ? '' : 's'} failed (${counts})\n`);
      }
      if (failed > 0) process.exitCode = EXIT.failed;
    });
}

export function printDiagnostics(ds: Diagnostic[], text: string, file: string): void {
  for (const d of ds) process.stderr.write(formatDiagnostic(d, text, file) + '\n');
}

async function loadPolicyForCheck(path: string): Promise<PermissionLayer> {
  const { loadPolicyFile } = await import('../../runtime/policy/load.js');
  try {
    const loaded = (await loadPolicyFile(path)) as unknown as PermissionLayer | { layer: PermissionLayer };
    return 'layer' in loaded ? loaded.layer : loaded;
  } catch (e) {
    if (e instanceof CliError) throw e;
    const err = e as { message?: string; diagnostics?: Diagnostic[] };
    if (err.diagnostics?.length) {
      for (const d of err.diagnostics) process.stderr.write(formatDiagnostic(d, undefined, d.file ?? path) + '\n');
    }
    throw new CliError(`policy ${path} is not usable: ${err.message ?? String(e)}`);
  }
}
