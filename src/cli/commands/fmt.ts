import type { CAC } from 'cac';
import { formatDiagnostic } from '../../compiler/diagnostics.js';
import { formatSource } from '../../compiler/format-source.js';
import { collectAexFiles, readSourceFile, writeOutputFile } from '../files.js';
import { CliError } from '../errors.js';
import { EXIT } from '../../exit-codes.js';

// `aex fmt` (docs/cli.md): the files to format, what to print, the exit code. The
// formatting itself is the compiler's (src/compiler/format-source.ts).

export function register(cli: CAC): void {
  cli
    .command('fmt [...paths]', 'Rewrite .aex files in the canonical layout (directories recursively)')
    .option('--check', 'Change nothing; list unformatted files and exit 1 if any')
    .example('aex fmt --check tasks .aex/policy.aex')
    .action((paths: string[], opts: { check?: boolean }) => {
      if (!paths.length) throw new CliError('fmt needs at least one FILE or DIR');
      const files = collectAexFiles(paths);
      let failed = false;
      let changed = 0;
      for (const file of files) {
        const { text } = readSourceFile(file);
        const { output, blocking } = formatSource(text);
        if (output === null) {
          for (const d of blocking) process.stderr.write(formatDiagnostic(d, text, file) + '\n');
          process.stderr.write(`${file}: not formatted (fix the syntax errors first; file left unchanged)\n`);
          failed = true;
          continue;
        }
        if (output === text) continue;
        changed++;
        if (opts.check) {
          process.stderr.write(`${file}: not formatted\n`);
          failed = true;
        } else {
          writeOutputFile(file, output);
          process.stdout.write(`formatted ${file}\n`);
        }
      }
      if (opts.check && !failed) process.stdout.write(`✔ ${files.length} file${files.length === 1 ? '' : 's'} formatted\n`);
      else if (!opts.check && changed === 0 && !failed) process.stdout.write('✔ nothing to change\n');
      if (failed) process.exitCode = EXIT.failed;
    });
}
