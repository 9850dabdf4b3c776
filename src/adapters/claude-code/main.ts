// The entry of the `aex gate` bundle (scripts/bundle-gate.mjs builds it from this file).
// The gate itself is host-neutral and lives in src/gate/; this file keeps the Claude Code
// entry points that tests and scripts call in process.

import type { HookAnswer } from '../host-protocol.js';
import { runHostGate } from '../../gate/main.js';
import type { GateOptions } from '../../gate/options.js';
import { claudeCodeProtocol } from './protocol.js';

export { gateMain, runHostGate, parseGateArgs, GateError, type GateOptions } from '../../gate/main.js';
export { judgeHook, payloadFromText } from '../../gate/core.js';
export { hostProtocol } from '../hosts.js';

export type GateOutcome = HookAnswer;

/** The Claude Code gate for one payload text: what to print and the exit code (never throws). */
export function runGate(opts: GateOptions, stdinText: string, processCwd: string, env: NodeJS.ProcessEnv = process.env): Promise<HookAnswer> {
  return runHostGate(claudeCodeProtocol, opts, stdinText, processCwd, env);
}
