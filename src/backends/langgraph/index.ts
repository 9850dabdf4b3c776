// The LangGraph backend (docs/langgraph.md, docs/design.md#the-ir-contract): an AEX task contract as a real StateGraph.

import type { IRDocument } from '../../ir/types.js';
import { taskToLangGraph } from './graph.js';

export { taskToLangGraph, confirmAnswerOf, START_NODE, FINISH_NODE } from './graph.js';
export type { LangGraphOptions, ConfirmInterrupt, AexGraphInfo, AexCompiledGraph } from './graph.js';
export { AexState } from './state.js';
export type { AexStateType, LoopCursor, Halt } from './state.js';
export { recursionLimitFor, UNKNOWN_LOOP_ITEMS } from './limits.js';
export { irHash, permsHash, threadIdentity } from './hash.js';
export { runWithLangGraph, resumeWithLangGraph, readThread, checkThreadSeal, ResumeError } from './run.js';
export type { LangGraphRunOptions, LangGraphRunResult, InterruptedResult, ResumeOptions, Durability } from './run.js';

/**
 * The graph of a task contract as Mermaid, drawn by LangGraph itself (`aex compile
 * --graph`). Built with the contract's own permissions (no policy), no tools needed.
 */
export async function graphMermaid(ir: IRDocument): Promise<string> {
  const graph = taskToLangGraph(ir, { builtins: false });
  return (await graph.getGraphAsync()).drawMermaid();
}
