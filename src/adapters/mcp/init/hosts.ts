// The MCP configuration files `aex init --mcp` rewrites, one reader/writer per host:
// .mcp.json (Claude Code, Claude Desktop), .codex/config.toml (Codex CLI) and
// .gemini/settings.json (Gemini CLI). Each turns its entries into ServerEntry values
// and writes a wrapped entry back in its own spelling, keeping every other key.

import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { readFileSync } from 'node:fs';
import { classifyCommand, type ServerEntry, type WrappedEntry } from './server-entry.js';

export type Raw = Record<string, unknown>;

export interface HostConfig {
  /** File relative to the project. */
  rel: string;
  /** The key holding the servers (`mcpServers`, `mcp_servers`). */
  serversKey: string;
  parse(text: string): Raw;
  serialize(doc: Raw): string;
  entry(raw: Raw): ServerEntry;
  apply(raw: Raw, wrapped: WrappedEntry): void;
}

const isObject = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

function stringMap(v: unknown): Record<string, string> | undefined {
  if (v === undefined) return {};
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') return undefined;
    out[k] = x;
  }
  return out;
}

function parseJson(text: string): Raw {
  if (text.trim() === '') return {};
  const v: unknown = JSON.parse(text);
  if (!isObject(v)) throw new Error('must hold a JSON object');
  return v;
}

function setCommand(raw: Raw, wrapped: WrappedEntry, drop: readonly string[]): void {
  for (const k of drop) delete raw[k];
  raw.command = wrapped.command;
  raw.args = wrapped.args;
  if (Object.keys(wrapped.env).length > 0) raw.env = { ...(isObject(raw.env) ? raw.env : {}), ...wrapped.env };
}

function httpEntry(url: unknown, headers: unknown): ServerEntry {
  if (typeof url !== 'string' || url === '') return { kind: 'other', why: 'no url' };
  const h = stringMap(headers);
  if (h === undefined) return { kind: 'other', why: 'headers that are not strings' };
  return { kind: 'http', url, headers: h, headerEnv: {} };
}

/** Claude Code's .mcp.json: {command, args, env} or {type: "http", url, headers}. */
export const CLAUDE_MCP_JSON: HostConfig = {
  rel: '.mcp.json',
  serversKey: 'mcpServers',
  parse: parseJson,
  serialize: (doc) => JSON.stringify(doc, null, 2) + '\n',
  entry(raw) {
    if (raw.type === 'sse') return { kind: 'other', why: 'an SSE server (the transport MCP deprecated); aex proxy speaks Streamable HTTP' };
    if (raw.type === 'http' || (raw.command === undefined && raw.url !== undefined)) return httpEntry(raw.url, raw.headers);
    return classifyCommand(raw.command, raw.args);
  },
  apply(raw, wrapped) {
    const wasHttp = raw.type === 'http' || raw.url !== undefined;
    setCommand(raw, wrapped, ['url', 'headers']);
    if (wasHttp || raw.type !== undefined) raw.type = 'stdio';
  },
};

/** Codex CLI's .codex/config.toml: [mcp_servers.NAME] command/args/env or url/bearer_token_env_var/http_headers/env_http_headers. */
export const CODEX_CONFIG_TOML: HostConfig = {
  rel: '.codex/config.toml',
  serversKey: 'mcp_servers',
  parse: (text) => parseToml(text) as Raw,
  serialize: (doc) => stringifyToml(doc) + '\n',
  entry(raw) {
    if (raw.url !== undefined) {
      const e = httpEntry(raw.url, raw.http_headers);
      if (e.kind !== 'http') return e;
      const env = stringMap(raw.env_http_headers);
      if (env === undefined) return { kind: 'other', why: 'env_http_headers that are not strings' };
      e.headerEnv = env;
      if (raw.bearer_token_env_var !== undefined) {
        if (typeof raw.bearer_token_env_var !== 'string') return { kind: 'other', why: 'a bearer_token_env_var that is not a string' };
        e.bearerEnv = raw.bearer_token_env_var;
      }
      return e;
    }
    return classifyCommand(raw.command, raw.args);
  },
  apply(raw, wrapped) {
    setCommand(raw, wrapped, ['url', 'http_headers', 'env_http_headers', 'bearer_token_env_var']);
    // Codex starts stdio servers with a reduced environment: name what the proxy needs.
    if (wrapped.passEnv.length > 0) {
      const had = Array.isArray(raw.env_vars) ? (raw.env_vars as unknown[]).filter((x): x is string => typeof x === 'string') : [];
      raw.env_vars = [...new Set([...had, ...wrapped.passEnv])];
    }
  },
};

/** Gemini CLI's .gemini/settings.json: command/args/env/cwd, httpUrl + headers, or url (SSE unless type is "http"). */
export const GEMINI_SETTINGS_JSON: HostConfig = {
  rel: '.gemini/settings.json',
  serversKey: 'mcpServers',
  parse: parseJson,
  serialize: (doc) => JSON.stringify(doc, null, 2) + '\n',
  entry(raw) {
    if (raw.httpUrl !== undefined) return httpEntry(raw.httpUrl, raw.headers);
    if (raw.url !== undefined) {
      if (raw.type === 'http') return httpEntry(raw.url, raw.headers);
      return { kind: 'other', why: 'an SSE server (url without type "http"); aex proxy speaks Streamable HTTP' };
    }
    return classifyCommand(raw.command, raw.args);
  },
  apply(raw, wrapped) {
    setCommand(raw, wrapped, ['httpUrl', 'url', 'headers', 'type']);
  },
};

export const HOST_CONFIGS: readonly HostConfig[] = [CLAUDE_MCP_JSON, CODEX_CONFIG_TOML, GEMINI_SETTINGS_JSON];

/** The parsed file, undefined when it does not exist; throws with the file's name otherwise. */
export function readHostConfig(host: HostConfig, file: string): Raw | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${host.rel}: ${(err as Error).message}`);
  }
  try {
    return host.parse(text);
  } catch (err) {
    throw new Error(`${host.rel} cannot be read (${(err as Error).message}); left unchanged`);
  }
}

/** Working directory of an entry, when the host has one (Gemini, Codex). */
export function entryCwd(raw: Raw): string | undefined {
  return typeof raw.cwd === 'string' && raw.cwd !== '' ? raw.cwd : undefined;
}

export function entryEnv(raw: Raw): Record<string, string> {
  return stringMap(raw.env) ?? {};
}
