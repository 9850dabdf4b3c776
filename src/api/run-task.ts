// The host API that takes a contract file: compile it, then run it on the native
// interpreter. It sits above both the compiler and the runtime, so neither of them
// imports the other (docs/design.md#the-pipeline).

import { compileFile } from '../compiler/index.js';
import { runIR } from '../runtime/interpreter.js';
import type { RunOptions } from '../runtime/run-options.js';
import { createAuditLog } from '../runtime/audit/emitter.js';
import { rejectRun } from '../runtime/steps/lifecycle.js';
import type { BlockReason, RunResult } from '../runtime/steps/types.js';

/** Compiles FILE and runs it. A contract with error diagnostics is rejected (run.rejected). */
export async function runTask(file: string, options: RunOptions = {}): Promise<RunResult> {
  const compiled = compileFile(file);
  if (!compiled.ok || !compiled.ir) {
    const reasons: BlockReason[] = compiled.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => ({ code: d.code, message: `line ${d.line}: ${d.message}`, line: d.line }));
    if (reasons.length === 0) reasons.push({ code: 'AEX100', message: 'The contract could not be compiled.' });
    const ownsAudit = options.audit === undefined;
    const audit = options.audit ?? createAuditLog(options.sinks ?? []);
    try {
      return rejectRun(audit, reasons);
    } finally {
      if (ownsAudit) await audit.close();
    }
  }
  return runIR(compiled.ir, options);
}
