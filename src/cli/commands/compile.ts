import type { CAC } from 'cac';
import { compileSource, sha256Hex } from '../../compiler/index.js';
import { readSourceFile, writeOutputFile } from '../files.js';
import { CliError } from '../errors.js';
import { IR_VERSION_OPTIONS, irOutput, type IrVersionOption } from '../ir-output.js';
import { printDiagnostics } from './check.js';
import { EXIT } from '../../exit-codes.js';
import type { IRDocument } from '../../ir/types.js';

/** Draws a task's graph as Mermaid text (for --graph). */
export type GraphRenderer = (ir: IRDocument) => Promise<string>;

// Loaded only for --graph: it pulls in LangGraph itself.
const langGraphRenderer: GraphRenderer = async (ir) => {
  const { graphMermaid } = await import('../../backends/langgraph/index.js');
  return graphMermaid(ir);
};

export function register(cli: CAC): void {
  registerCompile(cli, langGraphRenderer);
}

/**
 * The compile command, drawing --graph with `renderGraph`. The bundled `aex compile`
 * (src/cli/compile-entry.ts) passes none: it hands --graph to the full CLI before running.
 */
export function registerCompile(cli: CAC, renderGraph?: GraphRenderer): void {
  cli
    .command('compile <file>', 'Compile a contract or policy to JSON IR (validated against schemas/)')
    .option('-o, --out <file>', 'Write the IR to a file (atomically) instead of stdout')
    .option('--ir <version>', 'IR version: the lowest that expresses the document (default), v1, v2, or v0 (legacy shape)')
    .option('--graph', 'Print the LangGraph graph of the task as Mermaid instead of IR')
    .example('aex compile tasks/fix-test.aex -o fix-test.ir.json')
    .action(async (file: string, opts: { out?: string; ir?: string; graph?: boolean }) => {
      const version = opts.ir as IrVersionOption | undefined;
      if (version !== undefined && !IR_VERSION_OPTIONS.includes(version)) throw new CliError(`unknown IR version "${opts.ir}"; use v1, v2 or v0`);
      const ir = compiledIR(file);
      if (ir === null) {
        process.exitCode = EXIT.failed;
        return;
      }
      let output: string;
      if (opts.graph) {
        if (ir.kind !== 'task') throw new CliError(`${file}: only a task has a graph; this is a policy`);
        if (renderGraph === undefined) throw new Error('this build of aex compile cannot draw graphs');
        output = (await renderGraph(ir)).trimEnd() + '\n';
      } else {
        output = irOutput(ir, version, file);
      }
      if (opts.out) {
        writeOutputFile(opts.out, output);
        process.stderr.write(`wrote ${opts.out}\n`);
      } else {
        process.stdout.write(output);
      }
    });
}

/**
 * Reads and compiles `file`, printing its diagnostics; the IR, or null when it has errors.
 * Only the IR outlives this call: the source text and syntax tree are garbage before the
 * schema check and the print, which of a large document then run in a smaller heap.
 */
function compiledIR(file: string): IRDocument | null {
  const { text, bytes } = readSourceFile(file);
  const { ir, ok, diagnostics } = compileSource(text, { path: file }, sha256Hex(bytes));
  printDiagnostics(diagnostics, text, file);
  return ok ? ir : null;
}
