import type { CAC } from 'cac';
import { compileSource, sha256Hex } from '../../compiler/index.js';
import { toIRv0 } from '../../compiler/ir-v0.js';
import { validateIR, validateIRv0 } from '../../ir/validate.js';
import { asIRv2, needsIRv2 } from '../../compiler/lower.js';
import { readSourceFile, writeOutputFile } from '../files.js';
import { CliError } from '../errors.js';
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
      if (opts.ir !== undefined && !['v0', 'v1', 'v2'].includes(opts.ir)) throw new CliError(`unknown IR version "${opts.ir}"; use v1, v2 or v0`);
      const { text, bytes } = readSourceFile(file);
      const res = compileSource(text, { path: file }, sha256Hex(bytes));
      printDiagnostics(res.diagnostics, text, file);
      if (!res.ok || !res.ir) {
        process.exitCode = EXIT.failed;
        return;
      }
      let output: string;
      if (opts.graph) {
        if (res.ir.kind !== 'task') throw new CliError(`${file}: only a task has a graph; this is a policy`);
        if (renderGraph === undefined) throw new Error('this build of aex compile cannot draw graphs');
        output = (await renderGraph(res.ir)).trimEnd() + '\n';
      } else {
        // docs/design.md#the-ir-contract: the compiler writes the lowest version that expresses the document;
        // an older version that cannot hold it is refused, never written lossily.
        if ((opts.ir === 'v1' || opts.ir === 'v0') && needsIRv2(res.ir)) {
          throw new CliError(
            `${file}: --ir ${opts.ir} cannot express this document (it uses command, host or URL qualifiers, where tests, segment wildcards or shell declarations); use --ir v2 or leave --ir out`,
          );
        }
        // Self-check: the compiler's output must satisfy the published schema.
        const doc = opts.ir === 'v0' ? toIRv0(res.ir) : opts.ir === 'v2' ? asIRv2(res.ir) : res.ir;
        const check = opts.ir === 'v0' ? validateIRv0(doc) : validateIR(doc);
        if (!check.valid) {
          const detail = check.errors.map((e) => `${e.path} ${e.message}`).join('; ');
          // A compiler bug, never the user's: reported through the internal-error path (exit 70).
          throw new Error(`compiled IR does not match its schema: ${detail}`);
        }
        output = JSON.stringify(doc, null, 2) + '\n';
      }
      if (opts.out) {
        writeOutputFile(opts.out, output);
        process.stderr.write(`wrote ${opts.out}\n`);
      } else {
        process.stdout.write(output);
      }
    });
}
