// `aex gate [--host H]`: the command hook of every host. Reads the payload on stdin,
// runs the gate core (core.ts) or, with --server, asks a running `aex serve`, and prints
// the host's answer. bin/aex.js loads this through the CommonJS bundle (no cac, nothing
// another command needs).

import type { HookAnswer, HostProtocol } from '../adapters/host-protocol.js';
import { claudeCodeProtocol } from '../adapters/claude-code/protocol.js';
import { hostProtocol } from '../adapters/hosts.js';
import { judgeHook, payloadFromText, type JudgeOptions } from './core.js';
import { parseGateArgs, type GateOptions } from './options.js';
import { cachedPolicies } from './policies.js';
import { readStdinSync, writeAll } from './stdio.js';
import { EXIT } from '../exit-codes.js';

export { parseGateArgs, GateError, type GateOptions } from './options.js';

function judgeOptions(opts: GateOptions): JudgeOptions {
  const o: JudgeOptions = { allowNoPolicy: opts.allowNoPolicy, deferAllow: opts.deferAllow };
  if (opts.policy !== undefined) o.policy = opts.policy;
  if (opts.contract !== undefined) o.contract = opts.contract;
  if (opts.auditKeyFile !== undefined) o.auditKeyFile = opts.auditKeyFile;
  return o;
}

/** The gate for one payload text, in process (no stdin/stdout): what to print and the exit code. */
export async function runHostGate(protocol: HostProtocol, opts: GateOptions, stdinText: string, processCwd: string, env: NodeJS.ProcessEnv = process.env): Promise<HookAnswer> {
  let payload: unknown;
  try {
    payload = payloadFromText(stdinText);
  } catch (err) {
    return protocol.failure((err as Error).message);
  }
  if (opts.server !== undefined) {
    try {
      // Loaded only here: node:http costs start-up time no local decision needs.
      const { askServer, readToken } = await import('./client.js');
      const token = opts.tokenFile !== undefined ? readToken(opts.tokenFile) : undefined;
      return await askServer(opts.server, protocol.name, stdinText, token, env);
    } catch (err) {
      return protocol.failure((err as Error).message);
    }
  }
  return judgeHook(protocol, payload, judgeOptions(opts), { env, processCwd, policies: cachedPolicies });
}

function emit(out: HookAnswer): void {
  try {
    if (out.stdout) writeAll(1, out.stdout);
    if (out.stderr) writeAll(2, out.stderr);
  } catch {
    // The host went away: nothing can read the decision; a blocking exit regardless.
    process.exitCode = EXIT.usage;
    return;
  }
  process.exitCode = out.exitCode;
}

export async function gateMain(args: string[]): Promise<void> {
  let opts: GateOptions;
  try {
    opts = parseGateArgs(args);
  } catch (err) {
    // No host is known yet: exit 2 blocks the call in every host.
    emit(claudeCodeProtocol.failure((err as Error).message));
    return;
  }
  if (opts.help) {
    const { GATE_USAGE } = await import('../adapters/claude-code/help.js');
    writeAll(1, GATE_USAGE);
    return;
  }
  let protocol: HostProtocol;
  try {
    protocol = await hostProtocol(opts.host ?? 'claude-code');
  } catch (err) {
    emit(claudeCodeProtocol.failure((err as Error).message));
    return;
  }
  let text: string;
  try {
    text = readStdinSync();
  } catch (err) {
    emit(protocol.failure(`cannot read stdin: ${(err as Error).message}`));
    return;
  }
  emit(await runHostGate(protocol, opts, text, process.cwd()));
}
