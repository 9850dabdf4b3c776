// Turning the call `aex explain` was given into actions, with the describer the
// enforcing surface of that host uses (docs/design.md#actions):
//   aex          describeCall, as `aex run` describes a `do` step (a --shell line is a
//                `shell.exec` call carrying it as `command`);
//   claude-code  describeHookCall, the very describe step of `aex gate`, MCP tools
//                (`mcp__S__T`) with the server's candidate bases from .mcp.json;
//   mcp          describeCall of `mcp.S.T` with those bases, under the proxy's
//                `--name S` aliases for bare tool names.
// A describer that fails yields one unreadable action: the kernel, not explain,
// decides what that means.

import type { DescribedCall } from '../../describe/types.js';
import type { HookRequest, HostName } from '../../adapters/host-protocol.js';
import { hostIsAvailable, hostProtocol } from '../../adapters/hosts.js';
import { describeSafely } from '../../runtime/steps/unreadable.js';
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

/** Refuses a host whose protocol is not in the host registry (src/adapters/hosts.ts), before any policy is read. */
export function assertHostSupported(host: ExplainRequest['host']): void {
  if (host === 'aex' || host === 'mcp') return;
  if (!hostIsAvailable(host as HostName)) throw new ExplainInputError(`host ${host} is not supported yet`);
}

/** A host's call, described by the host's own protocol module, as `aex gate --host H` describes it. */
async function describeHostCall(req: ExplainRequest, perms: EffectivePermissions, root: string): Promise<DescribedCall> {
  const protocol = await hostProtocol(req.host as HostName);
  const parsed = req.payload !== undefined ? protocol.parse(req.payload, req.cwd, process.env) : null;
  const hook: HookRequest = parsed ?? { host: protocol.name, event: 'explain', sessionId: '', cwd: req.cwd, toolName: req.tool, toolInput: req.args, context: {} };
  const tool = protocol.capabilityFor(hook.toolName);
  const ctx = describeContextFor(root, req.cwd, tool, perms);
  return describeSafely({ tool, hostTool: hook.toolName, args: hook.toolInput }, () => protocol.describe({ ...hook, cwd: req.cwd }, ctx));
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
      return { call: await describeHostCall(req, perms, root), perms };
  }
}
