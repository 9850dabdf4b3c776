// Candidate bases of relative paths of an MCP server's tools (docs/paths.md). A server
// resolves a relative path its own way: against the directory it was started in, or
// against one of the folders its command line names (server-filesystem takes its
// allowed folders as arguments). AEX judges a relative path against every candidate.
// Where the command line is unknown (remote server, no .mcp.json entry) the base is
// unknown (`undefined`) and the describer leaves relative paths unresolved.
//
// Imported by `aex gate` on every MCP call: node built-ins only.

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { serverNameFromKey } from './mcp-names.js';

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The directory a stdio server starts in, then every existing directory its arguments
 * name (an operand, or the value of `--opt=DIR`), resolved against that directory.
 */
export function serverBases(args: readonly string[], startDir: string): string[] {
  const bases = [path.resolve(startDir)];
  for (const arg of args) {
    if (typeof arg !== 'string' || arg === '' || arg.includes('\0')) continue;
    const eq = arg.startsWith('-') ? arg.indexOf('=') : -1;
    const value = arg.startsWith('-') ? (eq > 0 ? arg.slice(eq + 1) : '') : arg;
    if (value === '') continue;
    const abs = path.resolve(startDir, value);
    if (!bases.includes(abs) && isDirectory(abs)) bases.push(abs);
  }
  return bases;
}

/** An `.mcp.json` entry that already runs behind `aex proxy`: the upstream's arguments. */
function upstreamArgs(entry: Record<string, unknown>): unknown[] | undefined {
  const args = Array.isArray(entry.args) ? entry.args : [];
  const command = entry.command;
  if (typeof command !== 'string') return undefined;
  const proxied = /(^|[/\\])aex(\.js)?$/.test(command) && args[0] === 'proxy';
  if (!proxied) return args;
  const sep = args.indexOf('--');
  return sep >= 0 ? args.slice(sep + 2) : undefined;
}

/**
 * The bases of server S from the project's `.mcp.json` (the file Claude Code starts its
 * servers from, in the project directory). S is the name of `mcp__S__T`: the entry's
 * key, or the one key that Claude Code's spelling turns into S. Anything unreadable,
 * ambiguous or remote → undefined (unknown base).
 */
export function basesFromMcpJson(root: string, server: string): string[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path.join(root, '.mcp.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const servers = (doc as { mcpServers?: unknown } | null)?.mcpServers;
  if (servers === null || typeof servers !== 'object' || Array.isArray(servers)) return undefined;
  const entries = servers as Record<string, unknown>;
  let key: string | undefined = Object.prototype.hasOwnProperty.call(entries, server) ? server : undefined;
  if (key === undefined) {
    const spelled = Object.keys(entries).filter((k) => serverNameFromKey(k) === server);
    if (spelled.length !== 1) return undefined;
    key = spelled[0];
  }
  const entry = entries[key!];
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  const e = entry as Record<string, unknown>;
  if (e.url !== undefined || (e.type !== undefined && e.type !== 'stdio')) return undefined;
  const args = upstreamArgs(e);
  if (args === undefined || !args.every((a) => typeof a === 'string')) return undefined;
  const startDir = typeof e.cwd === 'string' && e.cwd !== '' ? path.resolve(root, e.cwd) : root;
  return serverBases(args as string[], startDir);
}
