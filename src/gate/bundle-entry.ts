// The entry of the `aex gate` bundle (scripts/bundle-gate.mjs builds it from this file): the
// host-neutral gate, and the Claude Code entry points that tests and scripts call in process.

import type { HookAnswer } from '../adapters/host-protocol.js';
import { runHostGate } from './main.js';
import type { GateOptions } from './options.js';
import { claudeCodeProtocol } from '../adapters/claude-code/protocol.js';

export { gateMain, runHostGate, parseGateArgs, GateError, type GateOptions } from './main.js';
export { judgeHook, payloadFromText } from './core.js';
export { hostProtocol } from '../adapters/hosts.js';

export type GateOutcome = HookAnswer;

/** The Claude Code gate for one payload text: what to print and the exit code (never throws). */
export function runGate(opts: GateOptions, stdinText: string, processCwd: string, env: NodeJS.ProcessEnv = process.env): Promise<HookAnswer> {
  return runHostGate(claudeCodeProtocol, opts, stdinText, processCwd, env);
}
