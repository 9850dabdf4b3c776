// The step functions: one meaning per IR op (docs/design.md#runtime-semantics).
export * from './types.js';
export { pushScope, popScope, bindName, cloneState } from './scope.js';
export { evalArgs, prepareCall, askConfirmation, applyConfirmation, executeCall, execCall } from './call.js';
export { execMake, buildMakeRequest } from './make.js';
export { execCheck, beginIf, beginFor, execReturn, evalCond } from './control.js';
export {
  startRun,
  finishRun,
  rejectRun,
  blockedResult,
  issueText,
  firstMakeStep,
  runStartedEvent,
  NO_RETURN_EVENT_REASON,
  NO_RETURN_MESSAGE,
} from './lifecycle.js';
