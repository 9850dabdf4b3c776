import { realpathSync } from 'node:fs';
import path from 'node:path';
import { CliError } from './errors.js';
import type { AuditSink } from '../runtime/audit/types.js';
import type { OtelSink } from '../runtime/audit/otel.js';
import type { IRDocument } from '../ir/types.js';
import type { ModelHandler } from '../runtime/steps/types.js';
import type { ToolRegistry } from '../runtime/tools/types.js';
import type { McpServersInfo } from '../runtime/mcp-tools.js';

// What `aex run` and `aex resume` both build from their flags: the audit sinks, the
// model and the tool registry. One copy, so a resumed run gets exactly what a fresh
// run would. Heavy modules are imported only when the flag that needs them is given.

/** The audit file could not be written: the run stops, and the command fails with this. */
export class AuditWriteError extends CliError {}

/**
 * The audit file sink, guarded: the first write that fails (a full disk, an I/O error)
 * throws, so the step that was being recorded never runs unrecorded and the run stops;
 * later writes are dropped (the other sinks still get run.finished), and `failure`
 * tells the command to fail with a clear message instead of claiming a written log.
 */
export class GuardedAuditFile implements AuditSink {
  failure: AuditWriteError | undefined;
  constructor(
    readonly inner: AuditSink,
    readonly file: string,
  ) {}
  private fail(err: unknown): AuditWriteError {
    const e = err as NodeJS.ErrnoException;
    const why = e?.code ? `${e.code}${e.message ? ` (${e.message.replace(/^[A-Z]+: /, '').replace(/, \w+$/, '')})` : ''}` : String(err);
    this.failure ??= new AuditWriteError(`cannot write the audit file ${this.file}: ${why}; the run was stopped`);
    return this.failure;
  }
  write(e: Parameters<AuditSink['write']>[0]): void {
    if (this.failure) return;
    try {
      this.inner.write(e);
    } catch (err) {
      throw this.fail(err);
    }
  }
  seal(ts: string, seq: number, key: Buffer): void {
    if (this.failure || !this.inner.seal) return;
    try {
      this.inner.seal(ts, seq, key);
    } catch (err) {
      throw this.fail(err);
    }
  }
  async close(): Promise<void> {
    try {
      await this.inner.close?.();
    } catch (err) {
      this.fail(err);
    }
  }
}

/** The stderr sink, the JSONL file and the OTLP exporter, in that order. */
export async function openAuditSinks(opts: { logJson: boolean; auditPath?: string; otlp?: string }): Promise<{ sinks: AuditSink[]; otel?: OtelSink; auditFile?: GuardedAuditFile }> {
  const sinks = await import('../runtime/audit/sinks.js');
  const list: AuditSink[] = [opts.logJson ? new sinks.JsonStderrSink() : new sinks.HumanStderrSink()];
  let auditFile: GuardedAuditFile | undefined;
  if (opts.auditPath !== undefined) {
    try {
      auditFile = new GuardedAuditFile(new sinks.JsonlFileSink(opts.auditPath), opts.auditPath);
      list.push(auditFile);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new CliError(`Cannot open audit file ${opts.auditPath}: ${e.code ?? e.message}`);
    }
  }
  let otel: OtelSink | undefined;
  if (opts.otlp !== undefined) {
    const { OtelSink } = await import('../runtime/audit/otel.js');
    try {
      otel = new OtelSink(opts.otlp);
    } catch {
      throw new CliError(`Invalid --otlp URL: ${opts.otlp}`);
    }
    await otel.init();
    list.push(otel);
  }
  return { sinks: list, ...(otel ? { otel } : {}), ...(auditFile ? { auditFile } : {}) };
}

/**
 * Explicit `--model`/`--model-handler` always resolve (a missing key or package fails
 * before anything runs); AEX_MODEL only when the contract has `make` steps.
 */
export async function resolveRunModel(opts: { model?: string; handler?: string; ir: IRDocument; cwd: string }): Promise<ModelHandler | undefined> {
  const { firstMakeStep } = await import('../runtime/steps/lifecycle.js');
  if (opts.model === undefined && opts.handler === undefined && !(process.env.AEX_MODEL && firstMakeStep(opts.ir.steps))) return undefined;
  const { resolveModel, ModelSetupError } = await import('../runtime/models/index.js');
  try {
    return await resolveModel({ ...(opts.model !== undefined ? { model: opts.model } : {}), ...(opts.handler !== undefined ? { handler: opts.handler } : {}), cwd: opts.cwd });
  } catch (err) {
    if (err instanceof ModelSetupError) throw new CliError(err.message);
    throw err;
  }
}

/** The registry of a run, and what the kernel must know about its MCP servers. */
export interface AssembledTools {
  tools: ToolRegistry;
  mcpServers?: McpServersInfo;
}

/**
 * Built-ins, overlaid by host tools (`--tools`, MCP servers from `--mcp-config`, whose
 * tools are `mcp.S.T` with the alias `S.T`), overlaid by remote ones (`--registry`).
 * MCP connections are added to `closers`.
 */
export async function assembleTools(opts: {
  cwd: string;
  toolsModule?: string;
  mcpConfig?: string;
  registryUrl?: string;
  closers: Array<() => Promise<void>>;
}): Promise<AssembledTools> {
  const { builtinTools } = await import('../runtime/tools/builtins.js');
  const { overlayRegistries, loadRemoteRegistry } = await import('../runtime/tools/remote.js');
  let host: ToolRegistry = {};
  let mcpServers: McpServersInfo | undefined;
  if (opts.toolsModule !== undefined) {
    const { loadToolsModule } = await import('../runtime/tools/host.js');
    try {
      host = { ...(await loadToolsModule(path.resolve(opts.cwd, opts.toolsModule), opts.cwd)) };
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  }
  if (opts.mcpConfig !== undefined) {
    const { connectMcpServers } = await import('../runtime/mcp-tools.js');
    const { VERSION } = await import('../version.js');
    try {
      const conn = await connectMcpServers(path.resolve(opts.cwd, opts.mcpConfig), { version: VERSION });
      opts.closers.push(conn.close);
      host = { ...host, ...conn.tools };
      mcpServers = conn.servers;
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  }
  let remote: ToolRegistry | undefined;
  if (opts.registryUrl !== undefined) {
    try {
      remote = await loadRemoteRegistry(opts.registryUrl);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  }
  const tools = overlayRegistries(builtinTools(), host, remote);
  return mcpServers ? { tools, mcpServers } : { tools };
}

/**
 * A file as protected entries: its absolute path, and the same path through the real
 * path of its nearest existing folder, so a call that names it through a link is
 * caught as well as one that names it as given.
 */
function fileForms(file: string, cwd: string): string[] {
  const abs = path.resolve(cwd, file);
  const out = [abs];
  let dir = path.dirname(abs);
  let rest = path.basename(abs);
  for (;;) {
    try {
      out.push(path.join(realpathSync.native(dir), rest));
      break;
    } catch {
      const up = path.dirname(dir);
      if (up === dir) break;
      rest = path.join(path.basename(dir), rest);
      dir = up;
    }
  }
  return out;
}

/** SQLite keeps a checkpoint in up to four files. */
const SQLITE_COMPANIONS = ['', '-wal', '-shm', '-journal'];

/**
 * What no call of `aex run` / `aex resume` may write while the run is open, besides the
 * project's own protected state and the policy and contract files the kernel already
 * protects: the audit file (a contract must not rewrite its own record), the checkpoint
 * (a rewritten pending call would be resumed), the key file, the modules and configs a
 * resume loads again (tools, MCP servers, model handler), and AEX's state directory.
 */
export function runProtectedEntries(opts: {
  cwd: string;
  audit?: string;
  checkpoint?: string;
  /** The key that seals the audit and a paused thread's state (--audit-key-file). */
  keyFile?: string;
  reloaded?: Array<string | undefined>;
  stateDir: string;
}): string[] {
  const files: string[] = [];
  if (opts.audit !== undefined) files.push(opts.audit);
  if (opts.checkpoint !== undefined) for (const s of SQLITE_COMPANIONS) files.push(opts.checkpoint + s);
  if (opts.keyFile !== undefined) files.push(opts.keyFile);
  for (const f of opts.reloaded ?? []) if (f !== undefined) files.push(f);
  const out = files.flatMap((f) => fileForms(f, opts.cwd));
  out.push(path.join(path.resolve(opts.stateDir), '**'));
  return [...new Set(out)];
}
