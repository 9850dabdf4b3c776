// Public runtime API: run contracts, the step functions, audit sinks, models.
export { runIR, runTask, runBlock } from './interpreter.js';
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
