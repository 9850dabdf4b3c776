// Options of a run, shared by the native interpreter and the LangGraph backend, and the
// construction of the RunEnv both hand to the step functions.

import path from 'node:path';
import type { IRDocument } from '../ir/types.js';
import type { EffectivePermissions, PermissionLayer } from '../rules/types.js';
import { mergePermissions } from '../rules/merge.js';
import { layerFromIR } from './policy/load.js';
import { builtinTools } from './tools/builtins.js';
import type { ToolRegistry } from './tools/types.js';
import type { AuditSink } from './audit/types.js';
import { createAuditLog, type AuditLog } from './audit/emitter.js';
import type { ConfirmHandler, ModelHandler, RunEnv } from './steps/types.js';
import type { McpServersInfo } from './mcp-tools.js';
import type { KernelGrant } from './kernel/grants.js';
import { serverPrefixAlias, withNameAliases } from './mcp-names.js';

export interface RunOptions {
  /** The inputs object (docs/design.md#runtime-semantics); only declared needs are visible to the contract. */
  inputs?: Record<string, unknown>;
  /** Working directory: root of the built-in tools and base of relative path globs. */
  cwd?: string;
  /** The policy layer (already loaded and validated). Absent → the task layer alone. */
  policy?: PermissionLayer;
  /** Precomputed effective permissions; when given, `policy` is ignored. */
  perms?: EffectivePermissions;
  /** Host tools, overlaid on the built-ins (docs/design.md#runtime-semantics). */
  tools?: ToolRegistry;
  /** Set false to run with `tools` only, without the built-in tools. */
  builtins?: boolean;
  model?: ModelHandler;
  confirm?: ConfirmHandler;
  /** Where the audit goes. Ignored when `audit` is given. Default: nowhere. */
  sinks?: AuditSink[];
  /** An emitter owned by the caller (not closed by the run). */
  audit?: AuditLog;
  /** The servers of `--mcp-config`: their tools are judged as `mcp.S.T` (docs/mcp.md). */
  mcpServers?: McpServersInfo;
  /** Extra protected entries (absolute globs): what this run's calls may never write (its audit file, …). */
  protect?: readonly string[];
  /** A person's live grants for the project (docs/grants.md), read when the run starts. */
  grants?: readonly KernelGrant[];
  /** LangGraph backend: SQLite checkpoint file and thread id (docs/langgraph.md). */
  checkpoint?: string;
  threadId?: string;
}

/** Builds the RunEnv of a run. The audit log is created from `sinks` unless given. */
export function createRunEnv(ir: IRDocument, options: RunOptions): { env: RunEnv; audit: AuditLog; ownsAudit: boolean } {
  const cwd = options.cwd ?? process.cwd();
  const merged =
    options.perms ??
    // The contract's path absolute: a relative one would make the kernel see a new layer file
    // (and rebuild its protected entries and rule cache) on every call.
    mergePermissions({ task: layerFromIR(ir, ir.source?.path !== undefined ? path.resolve(cwd, ir.source.path) : undefined), ...(options.policy ? { policy: options.policy } : {}), cwd });
  // Rules naming an MCP tool by its alias `S.T` also name `mcp.S.T` (one release, AEX017).
  const servers = Object.keys(options.mcpServers?.bases ?? {});
  const perms = servers.length > 0 ? withNameAliases(merged, serverPrefixAlias(servers)) : merged;
  const tools: ToolRegistry = options.builtins === false ? { ...(options.tools ?? {}) } : { ...builtinTools(), ...(options.tools ?? {}) };
  const ownsAudit = options.audit === undefined;
  const audit = options.audit ?? createAuditLog(options.sinks ?? []);
  const env: RunEnv = { ir, perms, tools, audit, cwd };
  if (options.model) env.model = options.model;
  if (options.confirm) env.confirm = options.confirm;
  if (options.mcpServers) env.mcpServers = options.mcpServers;
  if (options.protect) env.protect = options.protect;
  if (options.grants && options.grants.length > 0) env.grants = options.grants;
  return { env, audit, ownsAudit };
}
