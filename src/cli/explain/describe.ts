// Turning the call `aex explain` was given into actions, with the describer the
// enforcing surface of that host uses (SPEC-2 D9):
//   aex          describeCall, as `aex run` describes a `do` step (a --shell line is a
//                `shell.exec` call carrying it as `command`);
//   claude-code  describeClaudeCodeCall, as `aex gate` does, MCP tools (`mcp__S__T`)
//                with the server's candidate bases from .mcp.json;
//   mcp          describeCall of `mcp.S.T` with those bases, under the proxy's
//                `--name S` aliases for bare tool names.
// A describer that fails yields one unreadable action: the kernel, not explain,
// decides what that means.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DescribeContext, DescribedCall } from '../../describe/types.js';
import type { EffectivePermissions } from '../../rules/types.js';
import { describeClaudeCodeCall } from '../../adapters/claude-code/describe.js';
import { capabilityFor } from '../../adapters/claude-code/mapping.js';
import { describeContext, describeForKernel } from '../../runtime/steps/describe.js';
import { unreadableCall, usableCall, type DescribeInput } from '../../runtime/steps/unreadable.js';
import { basesFromMcpJson } from '../../runtime/mcp-bases.js';
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

/** `mcp.S.T` → S, or undefined when the name is not an MCP tool name. */
function mcpServerOf(tool: string): string | undefined {
  const m = /^mcp\.([^.]+)\.[^.]/.exec(tool);
  return m ? m[1] : undefined;
}

/** The describe context of a call whose relative paths start at `cwd`; an MCP tool's also names its server's bases. */
function contextFor(root: string, cwd: string, capability: string, perms: EffectivePermissions): DescribeContext {
  const server = mcpServerOf(capability);
  const bases = server !== undefined ? basesFromMcpJson(root, server) : undefined;
  return describeContext({ root, cwd, ...(bases !== undefined ? { mcpBases: bases } : {}), shells: perms.shells ?? [] });
}

async function describeClaudeCode(req: ExplainRequest, ctx: DescribeContext): Promise<DescribedCall> {
  const input: DescribeInput = { tool: capabilityFor(req.tool), hostTool: req.tool, args: req.args };
  try {
    return usableCall(await describeClaudeCodeCall(req.tool, req.args, ctx), input);
  } catch (err) {
    return unreadableCall(input, `describe failed: ${err instanceof Error ? err.message : String(err)}`);
  }
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
      const ctx = contextFor(root, req.cwd, req.tool, perms);
      return { call: await describeForKernel({ tool: req.tool, args: req.args }, ctx), perms };
    }
    case 'mcp': {
      const server = mcpServerOf(req.tool);
      if (server === undefined) throw new ExplainInputError(`--host mcp needs the tool's AEX name mcp.SERVER.TOOL (got ${JSON.stringify(req.tool)})`);
      const ctx = contextFor(root, req.cwd, req.tool, perms);
      const call = await describeForKernel({ tool: req.tool, args: req.args, mcp: true }, ctx);
      return { call, perms: withNameAliases(perms, bareNameAlias(server)) };
    }
    case 'claude-code': {
      const ctx = contextFor(root, req.cwd, capabilityFor(req.tool), perms);
      return { call: await describeClaudeCode(req, ctx), perms };
    }
    default:
      assertHostSupported(req.host);
      throw new ExplainInputError(`host ${req.host} is not supported yet`);
  }
}
