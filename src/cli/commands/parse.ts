import type { CAC } from 'cac';
import { compileSource, hasErrors } from '../../compiler/index.js';
import { readSourceFile } from '../files.js';
import { printDiagnostics } from './check.js';
import { EXIT } from '../../exit-codes.js';

export function register(cli: CAC): void {
  cli
    .command('parse <file>', 'Print the syntax tree of a file as JSON')
    .option('--tolerant', 'Print the tree even when there are errors (exit 0)')
    .action((file: string, opts: { tolerant?: boolean }) => {
      const { text } = readSourceFile(file);
      const res = compileSource(text, { path: file });
      printDiagnostics(res.diagnostics, text, file);
      if (hasErrors(res.diagnostics) && !opts.tolerant) {
        process.exitCode = EXIT.failed;
        return;
      }
      process.stdout.write(JSON.stringify(res.ast, null, 2) + '\n');
    });
}
