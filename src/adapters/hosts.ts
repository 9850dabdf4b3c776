// The host registry: HostName → its HostProtocol. `aex gate --host H`, `aex serve` and
// `aex explain --host H` all find a host's protocol here. Claude Code's is loaded with the
// gate (most calls are its calls); the others are loaded only when asked for, each from
// src/adapters/HOST/protocol.ts (export `protocol`). A host whose module is not part of the
// build is refused, which blocks the call.

import type { HostName, HostProtocol } from './host-protocol.js';
import { claudeCodeProtocol } from './claude-code/protocol.js';
import { AexError } from '../errors.js';

type Loader = () => Promise<HostProtocol>;

const LOADERS: Partial<Record<HostName, Loader>> = {
  'claude-code': async () => claudeCodeProtocol,
  codex: async () => (await import('./codex/protocol.js')).codexProtocol,
  gemini: async () => (await import('./gemini/protocol.js')).geminiProtocol,
  cursor: async () => (await import('./cursor/protocol.js')).cursorProtocol,
};

export class UnknownHostError extends AexError {
  override name = 'UnknownHostError';
}

export function hostIsAvailable(host: HostName): boolean {
  return LOADERS[host] !== undefined;
}

export async function hostProtocol(host: HostName): Promise<HostProtocol> {
  const load = LOADERS[host];
  if (load === undefined) throw new UnknownHostError(`host ${host} is not available in this build`);
  return load();
}
