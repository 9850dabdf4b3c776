// Turning the call `aex explain` was given into actions, with the describer the
// enforcing surface of that host uses (SPEC-2 D9): Claude Code payloads through the
// Claude Code describer (as `aex gate`), MCP tools through describeCall with the
// server's candidate bases from .mcp.json (as the gate and the proxy), AEX's own
// capabilities through describeCall (as `aex run`), and a bare command line through the
// shell describer. A describer that fails yields one unreadable action — the kernel,
// not explain, decides what that means.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Action, DescribeContext, DescribedCall } from '../../describe/types.js';
import type { EffectivePermissions } from '../../rules/types.js';
import { describeContext, describeForKernel, unreadableCall, type DescribeInput } from '../../runtime/steps/describe.js';
import { basesFromMcpJson } from '../../runtime/mcp-bases.js';
import { bareNameAlias, withNameAliases } from '../../runtime/mcp-names.js';
import { ExplainInputError, type ExplainRequest } from './request.js';

// Specifiers in variables: the describers of other hosts load only when asked for,
// and a build without one of them still compiles.
const CLAUDE_CODE_DESCRIBER = '../../adapters/claude-code/describe.js';
const SHELL_DESCRIBER = '../../describe/shell/index.js';

type HostDescriber = (toolName: string, toolInput: Record<string, unknown>, ctx: DescribeContext) => DescribedCall | Promise<DescribedCall>;
type ShellDescriber = (line: string, ctx: DescribeContext) => Action[] | DescribedCall | Promise<Action[] | DescribedCall>;

export interface Described {
  call: DescribedCall;
  /** The permissions the surface decides under (an MCP server's bare tool names aliased, as the proxy does). */
  perms: EffectivePermissions;
}

async function loadExport<T>(specifier: string, name: string): Promise<T> {
  const mod = (await import(specifier)) as Record<string, unknown>;
  const fn = mod[name];
  if (typeof fn !== 'function') throw new Error(`${name} is missing from ${specifier}`);
  return fn as T;
}

/** Whether a host adapter with a describer is part of this build (src/adapters/HOST/describe). */
function hostDescriberExists(host: string): boolean {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return ['describe.js', 'describe.ts'].some((f) => existsSync(path.join(here, '..', '..', 'adapters', host, f)));
}

function validCall(call: unknown, input: DescribeInput): DescribedCall {
  const c = call as DescribedCall | undefined;
  if (!c || typeof c.tool !== 'string' || !Array.isArray(c.actions) || c.actions.length === 0) return unreadableCall(input, 'describer returned no actions');
  return c;
}

async function guarded(input: DescribeInput, run: () => Promise<unknown>): Promise<DescribedCall> {
  try {
    return validCall(await run(), input);
  } catch (err) {
    return unreadableCall(input, `describe failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function describeShellLine(line: string, ctx: DescribeContext): Promise<DescribedCall> {
  const input: DescribeInput = { tool: 'shell.exec', args: { command: line } };
  return guarded(input, async () => {
    const describeShell = await loadExport<ShellDescriber>(SHELL_DESCRIBER, 'describeShell');
    const out = await describeShell(line, ctx);
    return Array.isArray(out) ? { tool: 'shell.exec', args: input.args, actions: out } : out;
  });
}

/** `mcp.S.T` → S, or undefined when the name is not an MCP tool name. */
function mcpServerOf(tool: string): string | undefined {
  const m = /^mcp\.([^.]+)\.[^.]/.exec(tool);
  return m ? m[1] : undefined;
}

export async function describeRequest(req: ExplainRequest, perms: EffectivePermissions, root: string): Promise<Described> {
  const shells = perms.shells ?? [];
  switch (req.host) {
    case 'aex': {
      const ctx = describeContext({ root, cwd: req.cwd, shells });
      if (req.form === 'shell') return { call: await describeShellLine(String(req.args.command), ctx), perms };
      return { call: await describeForKernel({ tool: req.tool, args: req.args }, ctx), perms };
    }
    case 'mcp': {
      const server = mcpServerOf(req.tool);
      if (server === undefined) throw new ExplainInputError(`--host mcp needs the tool's AEX name mcp.SERVER.TOOL (got ${JSON.stringify(req.tool)})`);
      const bases = basesFromMcpJson(root, server);
      const ctx = describeContext({ root, cwd: req.cwd, ...(bases ? { mcpBases: bases } : {}), shells });
      const call = await describeForKernel({ tool: req.tool, args: req.args, mcp: true }, ctx);
      return { call, perms: withNameAliases(perms, bareNameAlias(server)) };
    }
    case 'claude-code': {
      const ctx = describeContext({ root, cwd: req.cwd, shells });
      const input: DescribeInput = { tool: req.tool, hostTool: req.tool, args: req.args };
      const call = await guarded(input, async () => {
        const describe = await loadExport<HostDescriber>(CLAUDE_CODE_DESCRIBER, 'describeClaudeCodeCall');
        return describe(req.tool, req.args, ctx);
      });
      return { call, perms };
    }
    default: {
      if (hostDescriberExists(req.host)) {
        throw new ExplainInputError(`host ${req.host} has a describer in this build, but aex explain does not read its payloads yet`);
      }
      throw new ExplainInputError(`host ${req.host} is not supported yet`);
    }
  }
}
