// Public runtime API: run compiled contracts, the step functions, audit sinks, models
// (runTask, which compiles a file first, is src/api/run-task.ts).
export { runIR, runBlock } from './interpreter.js';
export { createRunEnv, type RunOptions } from './run-options.js';
export * from './steps/index.js';
export { evalExpr, resolveRef, refText, toJson } from './expressions.js';
export { textOf, isValidDiff, touchedFiles } from './checks.js';
export { validateInputs, matchesType } from './inputs.js';
export { createAuditLog, type AuditLog } from './audit/emitter.js';
export type { AuditEvent, AuditSink } from './audit/types.js';
export { NullSink, MemorySink, JsonlFileSink, HumanStderrSink, JsonStderrSink } from './audit/sinks.js';
export { OtelSink } from './audit/otel.js';
export { resolveModel, resolveProviderModel, loadModelHandlerModule, chatModelHandler, ModelSetupError } from './models/index.js';
export { autoConfirm, ttyConfirm, cliConfirmHandler } from './confirm.js';
