// Turning the call `aex explain` was given into actions, with the describer the
// enforcing surface of that host uses (SPEC-2 D9):
//   aex          describeCall, as `aex run` describes a `do` step (a --shell line is a
//                `shell.exec` call carrying it as `command`);
//   claude-code  describeHookCall, the very describe step of `aex gate`, MCP tools
//                (`mcp__S__T`) with the server's candidate bases from .mcp.json;
//   mcp          describeCall of `mcp.S.T` with those bases, under the proxy's
//                `--name S` aliases for bare tool names.
// A describer that fails yields one unreadable action: the kernel, not explain,
// decides what that means.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DescribedCall } from '../../describe/types.js';
import type { EffectivePermissions } from '../../rules/types.js';
import { describeContextFor, describeHookCall, mcpServerOf } from '../../adapters/claude-code/hook-call.js';
import { capabilityFor } from '../../adapters/claude-code/mapping.js';
import { describeForKernel } from '../../runtime/steps/describe.js';
import { bareNameAlias, withNameAliases } from '../../runtime/mcp-names.js';
import { ExplainInputError, type ExplainRequest } from './request.js';

export interface Described {
  call: DescribedCall;
  /** The permissions the surface decides under (an MCP server's bare tool names aliased, as the proxy does). */
  perms: EffectivePermissions;
}

/** Whether a host adapter with a describer is part of this build (src/adapters/HOST/describe). */
function hostDescriberExists(host: string): boolean {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return ['describe.js', 'describe.ts'].some((f) => existsSync(path.join(here, '..', '..', 'adapters', host, f)));
}

/** Refuses a host whose calls explain cannot describe (yet), before any policy is read. */
export function assertHostSupported(host: ExplainRequest['host']): void {
  if (host === 'aex' || host === 'claude-code' || host === 'mcp') return;
  if (hostDescriberExists(host)) throw new ExplainInputError(`host ${host} has a describer in this build, but aex explain does not read its payloads yet`);
  throw new ExplainInputError(`host ${host} is not supported yet`);
}

export async function describeRequest(req: ExplainRequest, perms: EffectivePermissions, root: string): Promise<Described> {
  switch (req.host) {
    case 'aex': {
      const ctx = describeContextFor(root, req.cwd, req.tool, perms);
      return { call: await describeForKernel({ tool: req.tool, args: req.args }, ctx), perms };
    }
    case 'mcp': {
      const server = mcpServerOf(req.tool);
      if (server === undefined) throw new ExplainInputError(`--host mcp needs the tool's AEX name mcp.SERVER.TOOL (got ${JSON.stringify(req.tool)})`);
      const ctx = describeContextFor(root, req.cwd, req.tool, perms);
      const call = await describeForKernel({ tool: req.tool, args: req.args, mcp: true }, ctx);
      return { call, perms: withNameAliases(perms, bareNameAlias(server)) };
    }
    case 'claude-code': {
      const ctx = describeContextFor(root, req.cwd, capabilityFor(req.tool), perms);
      return { call: await describeHookCall(req.tool, req.args, ctx), perms };
    }
    default:
      assertHostSupported(req.host);
      throw new ExplainInputError(`host ${req.host} is not supported yet`);
  }
}
