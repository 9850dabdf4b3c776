// `aex gate` arguments. Parsed by hand, not by cac: the gate runs once per agent tool call
// and loads nothing it does not need.

import type { HostName } from '../adapters/host-protocol.js';
import { AexError } from '../errors.js';

export const HOST_NAMES: readonly HostName[] = ['claude-code', 'codex', 'gemini', 'cursor'];

export interface GateOptions {
  /** Whose hook protocol the payload and the answer use (default claude-code). */
  host?: HostName;
  policy?: string;
  contract?: string;
  allowNoPolicy: boolean;
  /** Claude Code: print nothing on allow, leaving Claude Code's own permission flow in charge. */
  deferAllow: boolean;
  /** `--server URL`: hand the payload to a running `aex serve` instead of deciding here. */
  server?: string;
  /** The bearer token file for `--server`. */
  tokenFile?: string;
  /** `--audit-key-file`: the key that seals the audit (default: $AEX_AUDIT_KEY_FILE). */
  auditKeyFile?: string;
  help: boolean;
}

/** A failure that must block the call (the host's blocking answer, message on stderr). */
export class GateError extends AexError {
  override name = 'GateError';
}

function isHostName(v: string): v is HostName {
  return (HOST_NAMES as readonly string[]).includes(v);
}

export function parseGateArgs(args: readonly string[]): GateOptions {
  const opts: GateOptions = { allowNoPolicy: false, deferAllow: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (what = 'a file name'): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new GateError(`option ${name} needs ${what}`);
      return v;
    };
    switch (name) {
      case '--host': {
        const h = value('a host name');
        if (!isHostName(h)) throw new GateError(`unknown host ${JSON.stringify(h)} (one of ${HOST_NAMES.join(', ')})`);
        opts.host = h;
        break;
      }
      case '--policy':
        opts.policy = value();
        break;
      case '--contract':
        opts.contract = value();
        break;
      case '--server':
        opts.server = value('a URL');
        break;
      case '--token-file':
        opts.tokenFile = value();
        break;
      case '--audit-key-file':
        opts.auditKeyFile = value();
        break;
      case '--allow-no-policy':
        opts.allowNoPolicy = true;
        break;
      case '--defer-allow':
        opts.deferAllow = true;
        break;
      case '--emit-allow':
        // The explicit allow is the default; the flag stays accepted for old settings files.
        break;
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        throw new GateError(`unknown option ${JSON.stringify(a)} (see aex gate --help)`);
    }
  }
  return opts;
}
