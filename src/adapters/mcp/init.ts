// `aex init --mcp`: puts every MCP server of the project's host configurations behind
// `aex proxy` — .mcp.json (Claude Code), .codex/config.toml (Codex CLI) and
// .gemini/settings.json (Gemini CLI) — in a form that works on a fresh machine:
//   - absolute node + absolute bin/aex.js, so nothing depends on `aex` being on PATH;
//   - `--name KEY`, so the proxy judges tool T as mcp.KEY.T, the name the gate uses too;
//   - an absolute `--policy`, so a server with its own cwd still finds the policy;
//   - `--audit` into the project's state directory, outside the workspace;
//   - remote (Streamable HTTP) entries become `aex proxy --url …`, their header values
//     moved out of argv into the entry's environment.
// When the project has no policy yet, each server is started once (with a time limit)
// to list its tools, and the starter policy names them (docs/mcp.md).
// Every file changed is backed up first; running it again changes nothing.

import { copyFileSync, constants as fsConstants, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { InitResult } from '../init-files.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { remoteHosts } from '../../authoring/git-remotes.js';
import { policyTemplate, policyTestTemplate, POLICY_TEST_FILE } from '../../authoring/templates.js';
import { discoverPolicy } from '../../runtime/policy/load.js';
import { projectStateDirectory } from '../../runtime/state-dir.js';
import { serverNameFromKey } from '../../runtime/mcp-names.js';
import { entryCwd, entryEnv, HOST_CONFIGS, readHostConfig, type HostConfig, type Raw } from './init/hosts.js';
import { upgradeProxied, wrapEntry, type ServerEntry, type WrapSettings } from './init/server-entry.js';
import { listToolsWithSdk, type ListingTarget, type ToolLister } from './init/list-tools.js';
import { rulesBlock, starterRules, withMcpRules, type ServerListing } from './init/starter-rules.js';

export interface InitMcpOptions {
  /** How tools are listed; false: do not start any server. Default: the SDK client. */
  listTools?: ToolLister | false;
  /** Time limit per server for listing its tools. */
  listTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_LIST_TIMEOUT_MS = 10_000;

function backupName(cwd: string, rel: string): string {
  let name = `${rel}.bak`;
  for (let i = 1; existsSync(path.join(cwd, name)); i++) name = `${rel}.bak.${i}`;
  return name;
}

interface HostFile {
  host: HostConfig;
  doc: Raw;
  servers: Record<string, unknown>;
  changed: string[];
}

function readHostFiles(cwd: string, messages: string[]): HostFile[] {
  const files: HostFile[] = [];
  for (const host of HOST_CONFIGS) {
    const doc = readHostConfig(host, path.join(cwd, host.rel));
    if (doc === undefined) continue;
    const servers = doc[host.serversKey];
    if (servers === undefined) {
      messages.push(`${host.rel} lists no MCP servers; nothing to change.`);
      continue;
    }
    if (servers === null || typeof servers !== 'object' || Array.isArray(servers)) throw new Error(`${host.rel}: "${host.serversKey}" must be an object; left unchanged`);
    for (const [key, value] of Object.entries(servers)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${host.rel}: server "${key}" must be an object; left unchanged`);
    }
    files.push({ host, doc, servers: servers as Record<string, unknown>, changed: [] });
  }
  return files;
}

export async function initMcp(cwd: string, options: InitMcpOptions = {}): Promise<InitResult> {
  const env = options.env ?? process.env;
  const messages: string[] = [];
  const files = readHostFiles(cwd, messages);
  if (files.length === 0) {
    return {
      written: [],
      skipped: [],
      messages: messages.length ? messages : [`No MCP configuration in ${cwd} (.mcp.json, .codex/config.toml, .gemini/settings.json): there are no MCP servers to put behind aex proxy.`],
    };
  }
  const existingPolicy = discoverPolicy(cwd);
  const policy = existingPolicy ?? path.join(cwd, '.aex', 'policy.aex');
  const auditDir = path.join(projectStateDirectory(cwd, env), 'mcp');
  /** Servers to list, by name (the first host file that names one wins). */
  const toList = new Map<string, ListingTarget>();

  for (const file of files) {
    for (const [key, value] of Object.entries(file.servers)) {
      const raw = value as Raw;
      const name = serverNameFromKey(key);
      const settings: WrapSettings = { name, policy, audit: path.join(auditDir, `${name}.audit.jsonl`) };
      const entry: ServerEntry = file.host.entry(raw);
      if (entry.kind === 'other') {
        messages.push(`⚠ ${file.host.rel}: server "${key}" is ${entry.why}; left unchanged and NOT guarded by AEX`);
        continue;
      }
      if (entry.kind === 'proxied') {
        const upgraded = upgradeProxied(entry, settings);
        if (upgraded === undefined) {
          messages.push(`${file.host.rel}: server "${key}" already runs behind aex proxy`);
          continue;
        }
        file.host.apply(raw, upgraded);
        file.changed.push(key);
        continue;
      }
      if (!toList.has(name)) {
        const target: ListingTarget = { entry, env: entryEnv(raw) };
        const dir = entryCwd(raw);
        if (dir !== undefined) target.cwd = path.resolve(cwd, dir);
        toList.set(name, target);
      }
      file.host.apply(raw, wrapEntry(entry, settings));
      file.changed.push(key);
    }
  }

  const written: string[] = [];
  const skipped: string[] = [];
  for (const file of files) {
    if (file.changed.length === 0) continue;
    const abs = path.join(cwd, file.host.rel);
    const backup = backupName(cwd, file.host.rel);
    copyFileSync(abs, path.join(cwd, backup), fsConstants.COPYFILE_EXCL);
    writeFileAtomic(abs, file.host.serialize(file.doc));
    written.push(file.host.rel, backup);
    const n = file.changed.length;
    messages.unshift(`✔ ${file.host.rel}: ${file.changed.map((k) => `"${k}"`).join(', ')} now run${n === 1 ? 's' : ''} behind aex proxy (backup: ${backup})`);
  }
  if (written.length > 0) {
    mkdirSync(auditDir, { recursive: true, mode: 0o700 });
    messages.push(`Each proxy appends its audit to ${auditDir}/NAME.audit.jsonl and reads the policy ${policy}.`);
  }

  const listings = await listServers(toList, options, messages);
  const rules = starterRules(listings);
  if (rules.skipped.length > 0) messages.push(`Tools whose names a rule cannot spell were left out: ${rules.skipped.join(', ')}`);
  if (existingPolicy === undefined) {
    const text = withMcpRules(policyTemplate(remoteHosts(cwd)), rules);
    mkdirSync(path.dirname(policy), { recursive: true });
    for (const [file, contents] of [
      [policy, text],
      [path.join(cwd, POLICY_TEST_FILE), policyTestTemplate(remoteHosts(cwd))],
    ] as const) {
      try {
        writeFileAtomic(file, contents, { exclusive: true });
        written.push(path.relative(cwd, file).split(path.sep).join('/'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        skipped.push(path.relative(cwd, file).split(path.sep).join('/'));
      }
    }
    messages.push(`✔ Policy created at ${path.relative(cwd, policy)}, naming the MCP tools found (read-only tools allowed, the others ask first).`);
  } else if (listings.some((l) => l.tools !== undefined)) {
    messages.push(`Your policy ${path.relative(cwd, existingPolicy)} was left as it is. Rules for the tools found:`, rulesBlock(rules));
  }
  return { written, skipped, messages };
}

async function listServers(toList: Map<string, ListingTarget>, options: InitMcpOptions, messages: string[]): Promise<ServerListing[]> {
  const lister = options.listTools === undefined ? listToolsWithSdk : options.listTools;
  if (lister === false || toList.size === 0) return [...toList.keys()].map((name) => ({ name, error: 'not started (listing switched off)' }));
  const timeout = options.listTimeoutMs ?? DEFAULT_LIST_TIMEOUT_MS;
  messages.push(`Starting each server once (at most ${Math.round(timeout / 1000)} s each) to list its tools: ${[...toList.keys()].join(', ')}`);
  const listings = await Promise.all(
    [...toList].map(async ([name, target]): Promise<ServerListing> => {
      try {
        return { name, tools: await lister(target, timeout) };
      } catch (err) {
        return { name, error: (err as Error).message };
      }
    }),
  );
  for (const l of listings) messages.push(l.tools !== undefined ? `  ${l.name}: ${l.tools.length} tools` : `  ${l.name}: could not list its tools (${l.error})`);
  return listings;
}
