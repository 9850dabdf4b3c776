// `aex init --mcp`: rewrites .mcp.json (the {"mcpServers": {NAME: {command, args, env}}}
// file of Claude Code and Claude Desktop) so every stdio server runs behind
// `aex proxy --name NAME -- CMD ARGS...`: `--name` makes the proxy judge tool T as
// `mcp.NAME.T`, the name the gate gives it too (SPEC-2 §18). The original file is kept
// as a backup first; non-stdio servers (url) are left as they are, and a server already
// behind the proxy only gains the `--name` it lacks.

import { copyFileSync, constants as fsConstants, existsSync } from 'node:fs';
import path from 'node:path';
import { readJsonObject, writeAtomic, type InitResult } from '../init-files.js';
import { serverNameFromKey } from '../../runtime/mcp-names.js';

const REL = '.mcp.json';

function isProxied(server: Record<string, unknown>): boolean {
  const cmd = server.command;
  const args = server.args;
  return typeof cmd === 'string' && /(^|[/\\])aex(\.js)?$/.test(cmd) && Array.isArray(args) && args[0] === 'proxy';
}

/** Options of `aex proxy` before its `--`, or the whole list when there is none. */
function proxyOptions(args: unknown[]): unknown[] {
  const sep = args.indexOf('--');
  return sep >= 0 ? args.slice(1, sep) : args.slice(1);
}

function hasNameOption(args: unknown[]): boolean {
  return proxyOptions(args).some((a) => a === '--name' || (typeof a === 'string' && a.startsWith('--name=')));
}

function backupName(cwd: string): string {
  let name = `${REL}.bak`;
  for (let i = 1; existsSync(path.join(cwd, name)); i++) name = `${REL}.bak.${i}`;
  return name;
}

export function initMcp(cwd: string): InitResult {
  const file = path.join(cwd, REL);
  const doc = readJsonObject(file, REL);
  if (doc === undefined) {
    return { written: [], skipped: [], messages: [`No ${REL} in ${cwd}: there are no MCP servers to put behind aex proxy.`] };
  }
  const servers = doc.mcpServers;
  if (servers === undefined) return { written: [], skipped: [], messages: [`${REL} lists no mcpServers; nothing to change.`] };
  if (servers === null || typeof servers !== 'object' || Array.isArray(servers)) throw new Error(`${REL}: "mcpServers" must be an object; left unchanged`);
  const messages: string[] = [];
  const changed: string[] = [];
  for (const [name, value] of Object.entries(servers as Record<string, unknown>)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${REL}: server "${name}" must be an object; left unchanged`);
    const s = value as Record<string, unknown>;
    const server = serverNameFromKey(name);
    if (isProxied(s)) {
      const args = s.args as unknown[];
      if (hasNameOption(args)) {
        messages.push(`server "${name}" already runs behind aex proxy`);
        continue;
      }
      s.args = ['proxy', '--name', server, ...args.slice(1)];
      changed.push(name);
      continue;
    }
    if (typeof s.command !== 'string' || s.command === '') {
      messages.push(`server "${name}" is not a stdio server (no command); left unchanged`);
      continue;
    }
    const args = s.args === undefined ? [] : s.args;
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new Error(`${REL}: server "${name}" has non-string args; left unchanged`);
    s.args = ['proxy', '--name', server, '--', s.command, ...args];
    s.command = 'aex';
    changed.push(name);
  }
  if (changed.length === 0) return { written: [], skipped: [], messages: messages.length ? messages : [`${REL}: nothing to change.`] };
  const backup = backupName(cwd);
  copyFileSync(file, path.join(cwd, backup), fsConstants.COPYFILE_EXCL);
  writeAtomic(file, JSON.stringify(doc, null, 2) + '\n');
  messages.unshift(`✔ ${REL}: ${changed.map((n) => `"${n}"`).join(', ')} now run${changed.length === 1 ? 's' : ''} behind aex proxy (backup: ${backup})`);
  if (!existsSync(path.join(cwd, '.aex', 'policy.aex')) && !existsSync(path.join(cwd, 'aex.policy.aex'))) {
    messages.push('The proxy refuses to start without a policy: create .aex/policy.aex (aex init --policy).');
  }
  return { written: [REL, backup], skipped: [], messages };
}
