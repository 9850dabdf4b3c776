// What `aex explain` is asked about: one call, given as a host's hook payload on stdin,
// as `--tool NAME --args JSON`, or as `--shell 'COMMAND LINE'`. Anything malformed is
// an ExplainInputError (exit 2), never a guess.

import { statSync } from 'node:fs';
import path from 'node:path';
import { canonicalPath } from '../../runtime/policy/paths.js';
import { AexError } from '../../errors.js';

/** Hosts `--host` accepts; `aex` (the default) means AEX's own capabilities. */
export const EXPLAIN_HOSTS = ['aex', 'claude-code', 'codex', 'gemini', 'cursor', 'mcp'] as const;
export type ExplainHost = (typeof EXPLAIN_HOSTS)[number];

export class ExplainInputError extends AexError {
  override name = 'ExplainInputError';
}

export interface ExplainOptions {
  policy?: unknown;
  contract?: unknown;
  host?: unknown;
  tool?: unknown;
  args?: unknown;
  shell?: unknown;
  json?: boolean;
}

/** One call to explain, before it is described. */
export interface ExplainRequest {
  host: ExplainHost;
  /** How the call was given. */
  form: 'payload' | 'tool' | 'shell';
  /** The host's tool name (`Bash`, `Read`), or the AEX capability for host `aex` and `mcp`. */
  tool: string;
  args: Record<string, unknown>;
  /** The working directory of the call: the payload's `cwd`, else the process cwd. */
  cwd: string;
  /** The payload's whole object (hook payloads only), for fields such as session_id. */
  payload?: Record<string, unknown>;
}

function stringFlag(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new ExplainInputError(`${flag} needs a value`);
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parseHost(value: unknown): ExplainHost {
  const host = stringFlag(value, '--host') ?? 'aex';
  if (!(EXPLAIN_HOSTS as readonly string[]).includes(host)) {
    throw new ExplainInputError(`--host must be one of ${EXPLAIN_HOSTS.filter((h) => h !== 'aex').join(', ')} (got ${JSON.stringify(host)})`);
  }
  return host as ExplainHost;
}

function parseArgsJson(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ExplainInputError(`--args is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(value)) throw new ExplainInputError('--args must be a JSON object of the call\'s arguments');
  return value;
}

/** A payload's cwd by its real path, as the gate reads it; it must be an existing directory. */
function existingDirectory(dir: string): string {
  let real: string;
  try {
    real = canonicalPath(dir, '/');
  } catch (err) {
    throw new ExplainInputError(`cannot resolve the payload's cwd ${dir}: ${(err as Error).message}`);
  }
  let isDir = false;
  try {
    isDir = statSync(real).isDirectory();
  } catch {
    // missing
  }
  if (!isDir) throw new ExplainInputError(`the payload's cwd ${dir} is not an existing directory`);
  return real;
}

function parsePayload(text: string, host: ExplainHost, processCwd: string): ExplainRequest {
  if (text.trim() === '') throw new ExplainInputError('no call given: pipe a hook payload on stdin, or use --tool NAME --args JSON, or --shell \'COMMAND\'');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ExplainInputError('the payload on stdin is not valid JSON');
  }
  if (!isObject(raw)) throw new ExplainInputError('the payload on stdin must be a JSON object');
  const toolName = raw.tool_name;
  if (typeof toolName !== 'string' || toolName === '') throw new ExplainInputError('the payload has no tool_name');
  const input = raw.tool_input ?? {};
  if (!isObject(input)) throw new ExplainInputError('the payload\'s tool_input must be a JSON object');
  const cwd = raw.cwd;
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd === '' || cwd.includes('\0'))) throw new ExplainInputError('the payload\'s cwd must be a non-empty string');
  return { host, form: 'payload', tool: toolName, args: input, cwd: existingDirectory(path.resolve(processCwd, (cwd as string | undefined) ?? '.')), payload: raw };
}

/**
 * The call of an `aex explain` invocation. A hook payload is read from `stdinText` only
 * when neither --tool nor --shell is given; payloads are Claude Code's unless --host
 * names another host.
 */
export function explainRequest(opts: ExplainOptions, stdinText: () => string, processCwd: string): ExplainRequest {
  const tool = stringFlag(opts.tool, '--tool');
  const shell = opts.shell === undefined ? undefined : typeof opts.shell === 'string' ? opts.shell : undefined;
  if (opts.shell !== undefined && shell === undefined) throw new ExplainInputError('--shell needs a command line');
  if (tool !== undefined && shell !== undefined) throw new ExplainInputError('give either --tool NAME --args JSON or --shell \'COMMAND\', not both');
  if (opts.args !== undefined && tool === undefined) throw new ExplainInputError('--args needs --tool NAME');
  const hostGiven = opts.host !== undefined;
  let host = parseHost(opts.host);
  if (shell !== undefined) {
    if (shell.includes('\0')) throw new ExplainInputError('--shell: a command line cannot contain a NUL byte');
    // A command line is what a host's shell tool carries: Claude Code's Bash unless told otherwise.
    return { host, form: 'shell', tool: host === 'claude-code' ? 'Bash' : 'shell.exec', args: { command: shell }, cwd: processCwd };
  }
  if (tool !== undefined) {
    return { host, form: 'tool', tool, args: parseArgsJson(stringFlag(opts.args, '--args')), cwd: processCwd };
  }
  if (!hostGiven) host = 'claude-code';
  return parsePayload(stdinText(), host, processCwd);
}
