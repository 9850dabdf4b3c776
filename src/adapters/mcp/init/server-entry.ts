// One MCP server entry of a host's configuration, in terms every host shares, and the
// `aex proxy` command line that puts it behind AEX. Hosts spell entries differently
// (.mcp.json, .codex/config.toml, .gemini/settings.json); their readers in hosts.ts
// turn them into a ServerEntry and write the wrapped result back in their own spelling.

import { aexCommand, proxyArgsStart } from './aex-command.js';

export type ServerEntry =
  | { kind: 'stdio'; command: string; args: string[] }
  | {
      kind: 'http';
      url: string;
      /** Header values written literally in the configuration (they may be secrets). */
      headers: Record<string, string>;
      /** Header name → environment variable holding its value. */
      headerEnv: Record<string, string>;
      /** Environment variable holding a bearer token (Codex bearer_token_env_var). */
      bearerEnv?: string;
    }
  | { kind: 'proxied'; command: string; args: string[]; optionsStart: number }
  | { kind: 'other'; why: string };

export interface WrapSettings {
  /** `--name`: the server's name in mcp.S.T. */
  name: string;
  /** Absolute policy file. */
  policy: string;
  /** Absolute audit file in the state directory. */
  audit: string;
}

export interface WrappedEntry {
  command: string;
  args: string[];
  /** Environment variables the entry must now set (literal header values, kept out of argv). */
  env: Record<string, string>;
  /** Environment variables of the host's own environment the proxy must see (Codex env_vars). */
  passEnv: string[];
}

/** Stdio entries that already start `aex proxy`. */
export function classifyCommand(command: unknown, args: unknown): ServerEntry {
  if (typeof command !== 'string' || command === '') return { kind: 'other', why: 'no command' };
  const list = args === undefined ? [] : args;
  if (!Array.isArray(list) || !list.every((a) => typeof a === 'string')) return { kind: 'other', why: 'non-string args' };
  const start = proxyArgsStart(command, list);
  if (start !== undefined) return { kind: 'proxied', command, args: list as string[], optionsStart: start };
  return { kind: 'stdio', command, args: list as string[] };
}

/** An environment variable name for the n-th literal header of server S. */
function headerVariable(name: string, header: string): string {
  return `AEX_HEADER_${name}_${header}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

function ownOptions(settings: WrapSettings): string[] {
  return ['proxy', '--name', settings.name, '--policy', settings.policy, '--audit', settings.audit];
}

/** The `aex proxy` command for a stdio or http entry. */
export function wrapEntry(entry: ServerEntry & { kind: 'stdio' | 'http' }, settings: WrapSettings): WrappedEntry {
  const aex = aexCommand();
  if (entry.kind === 'stdio') {
    return { command: aex.command, args: [aex.script, ...ownOptions(settings), '--', entry.command, ...entry.args], env: {}, passEnv: [] };
  }
  const args = [aex.script, ...ownOptions(settings), '--url', entry.url];
  const env: Record<string, string> = {};
  const passEnv: string[] = [];
  // Header values never go on the command line (other users can read argv): a literal
  // value moves into the entry's environment, a variable is named.
  for (const [header, value] of Object.entries(entry.headers)) {
    const v = headerVariable(settings.name, header);
    env[v] = value;
    args.push('--header-env', `${header}=${v}`);
  }
  for (const [header, variable] of Object.entries(entry.headerEnv)) {
    args.push('--header-env', `${header}=${variable}`);
    passEnv.push(variable);
  }
  if (entry.bearerEnv !== undefined) {
    args.push('--bearer-env', entry.bearerEnv);
    passEnv.push(entry.bearerEnv);
  }
  return { command: aex.command, args, env, passEnv };
}

/** Options of an existing `aex proxy` entry before its `--` (or all of them). */
function proxyOptionList(entry: ServerEntry & { kind: 'proxied' }): string[] {
  const rest = entry.args.slice(entry.optionsStart);
  const sep = rest.indexOf('--');
  return sep >= 0 ? rest.slice(0, sep) : rest;
}

function hasOption(options: string[], flag: string): boolean {
  return options.some((a) => a === flag || a.startsWith(`${flag}=`));
}

/**
 * An entry already behind `aex proxy`: it is restarted through absolute node + bin/aex.js
 * and gains the --name, --policy and --audit it lacks; its other options and upstream stay.
 * Undefined when there is nothing to change.
 */
export function upgradeProxied(entry: ServerEntry & { kind: 'proxied' }, settings: WrapSettings): WrappedEntry | undefined {
  const aex = aexCommand();
  const options = proxyOptionList(entry);
  const added: string[] = [];
  if (!hasOption(options, '--name')) added.push('--name', settings.name);
  if (!hasOption(options, '--policy')) added.push('--policy', settings.policy);
  if (!hasOption(options, '--audit')) added.push('--audit', settings.audit);
  const absolute = entry.command === aex.command && entry.args[0] === aex.script;
  if (added.length === 0 && absolute) return undefined;
  const rest = entry.args.slice(entry.optionsStart);
  return { command: aex.command, args: [aex.script, 'proxy', ...added, ...rest], env: {}, passEnv: [] };
}
