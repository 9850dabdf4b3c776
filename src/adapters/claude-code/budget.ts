// Moved: the budget ledger is src/runtime/state/budget.ts (shared by the gate, `aex serve`
// and the proxy). This re-export keeps older imports compiling.

export * from '../../runtime/state/budget.js';
