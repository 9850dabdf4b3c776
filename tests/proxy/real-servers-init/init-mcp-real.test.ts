// `aex init --mcp` against the real reference servers: entries that work without `aex`
// on PATH, names from the keys, absolute policy, audit in the state directory, remote
// entries wrapped with their secrets kept out of argv, the three hosts' files, and a
// starter policy naming the tools the servers really offer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { initMcp } from '../../../src/adapters/mcp/init.js';
import { aexScript } from '../../../src/adapters/mcp/init/aex-command.js';
import { loadPolicyFile } from '../../../src/runtime/policy/load.js';

const BIN = path.resolve('node_modules/.bin');
let D: string;
let STATE: string;
const env = () => ({ ...process.env, AEX_STATE_DIR: STATE });

beforeAll(() => {
  D = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-init-real-')));
  STATE = mkdtempSync(path.join(tmpdir(), 'aex-init-state-'));
});
afterAll(() => {
  rmSync(D, { recursive: true, force: true });
  rmSync(STATE, { recursive: true, force: true });
});

describe('aex init --mcp with the reference servers', () => {
  it('wraps stdio and http entries of .mcp.json, lists real tools, writes a starter policy that names them', async () => {
    mkdirSync(path.join(D, 'data'));
    writeFileSync(
      path.join(D, '.mcp.json'),
      JSON.stringify({
        mcpServers: {
          fs: { command: path.join(BIN, 'mcp-server-filesystem'), args: [path.join(D, 'data')] },
          'my memory': { command: path.join(BIN, 'mcp-server-memory'), env: { MEMORY_FILE_PATH: path.join(D, 'mem.jsonl') } },
          remote: { type: 'http', url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer s3cret-token' } },
          old: { type: 'sse', url: 'http://127.0.0.1:9/sse' },
        },
      }),
    );
    const r = await initMcp(D, { env: env(), listTimeoutMs: 8000 });
    const doc = JSON.parse(readFileSync(path.join(D, '.mcp.json'), 'utf8'));
    const policy = path.join(D, '.aex', 'policy.aex');
    const fs = doc.mcpServers.fs;
    expect(fs.command).toBe(process.execPath);
    expect(fs.args.slice(0, 8)).toEqual([aexScript(), 'proxy', '--name', 'fs', '--policy', policy, '--audit', expect.stringMatching(/\/mcp\/fs\.audit\.jsonl$/)]);
    expect(fs.args[7].startsWith(STATE)).toBe(true);
    expect(fs.args.slice(8)).toEqual(['--', path.join(BIN, 'mcp-server-filesystem'), path.join(D, 'data')]);
    expect(doc.mcpServers['my memory'].args[3]).toBe('my_memory');
    expect(doc.mcpServers['my memory'].env).toEqual({ MEMORY_FILE_PATH: path.join(D, 'mem.jsonl') });
    // The remote server runs behind the proxy too; its token is in env, not on the command line.
    const remote = doc.mcpServers.remote;
    expect(remote.type).toBe('stdio');
    expect(remote.url).toBeUndefined();
    expect(remote.args).toContain('--url');
    expect(JSON.stringify(remote.args)).not.toContain('s3cret');
    expect(remote.args).toContain('Authorization=AEX_HEADER_REMOTE_AUTHORIZATION');
    expect(remote.env).toEqual({ AEX_HEADER_REMOTE_AUTHORIZATION: 'Bearer s3cret-token' });
    expect(doc.mcpServers.old).toEqual({ type: 'sse', url: 'http://127.0.0.1:9/sse' });
    expect(r.messages.some((m) => m.includes('"old"') && m.includes('NOT guarded'))).toBe(true);
    expect(r.messages.some((m) => m.startsWith('Starting each server once'))).toBe(true);
    expect(r.messages.some((m) => /fs: \d+ tools/.test(m))).toBe(true);
    expect(r.messages.some((m) => /remote: could not list its tools/.test(m))).toBe(true);
    // The starter policy names the real tools, parses, and asks before writes.
    const text = readFileSync(policy, 'utf8');
    expect(text).toMatch(/allow [^\n]*mcp\.fs\.read_text_file/);
    expect(text).toMatch(/confirm before mcp\.fs\.write_file/);
    expect(text).toMatch(/mcp\.my_memory\.read_graph/);
    expect(text).toContain('# MCP server "remote": its tools could not be listed');
    const loaded = await loadPolicyFile(policy, { cwd: D });
    expect(loaded.layer.allow?.some((rule) => rule.tool === 'mcp.fs.read_text_file')).toBe(true);
    expect(existsSync(path.join(D, '.aex', 'policy.test.aex'))).toBe(true);
    // Again: nothing changes.
    const before = readFileSync(path.join(D, '.mcp.json'), 'utf8');
    const again = await initMcp(D, { env: env(), listTools: false });
    expect(readFileSync(path.join(D, '.mcp.json'), 'utf8')).toBe(before);
    expect(again.written).toEqual([]);
  }, 30_000);

  it('Codex config.toml and Gemini settings.json are wrapped in their own spelling', async () => {
    const E = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-init-hosts-')));
    try {
      mkdirSync(path.join(E, '.codex'));
      mkdirSync(path.join(E, '.gemini'));
      mkdirSync(path.join(E, '.aex'));
      writeFileSync(path.join(E, '.aex', 'policy.aex'), 'policy p v0\ngoal "g"\nallow aex.*\n');
      writeFileSync(
        path.join(E, '.codex', 'config.toml'),
        'model = "o4"\n[mcp_servers.docs]\nurl = "https://docs.example.invalid/mcp"\nbearer_token_env_var = "DOCS_TOKEN"\n[mcp_servers.mem]\ncommand = "npx"\nargs = ["-y", "@modelcontextprotocol/server-memory"]\n',
      );
      writeFileSync(
        path.join(E, '.gemini', 'settings.json'),
        JSON.stringify({ theme: 'x', mcpServers: { gh: { httpUrl: 'https://api.example.invalid/mcp/', headers: { Authorization: 'tok' } }, local: { command: 'node', args: ['s.js'], cwd: 'srv' }, sse: { url: 'https://x.invalid/sse' } } }),
      );
      const r = await initMcp(E, { env: env(), listTools: false });
      /** The part of Codex's config.toml an MCP server entry is: what init must have written. */
      type CodexServer = { url?: string; command?: string; args?: string[]; env_vars?: string[] };
      const codex = parseToml(readFileSync(path.join(E, '.codex', 'config.toml'), 'utf8')) as { model?: string; mcp_servers: Record<string, CodexServer> };
      expect(codex.model).toBe('o4');
      expect(codex.mcp_servers.docs!.url).toBeUndefined();
      expect(codex.mcp_servers.docs!.command).toBe(process.execPath);
      expect(codex.mcp_servers.docs!.args).toEqual(expect.arrayContaining(['--url', 'https://docs.example.invalid/mcp', '--bearer-env', 'DOCS_TOKEN']));
      expect(codex.mcp_servers.docs!.env_vars).toEqual(['DOCS_TOKEN']);
      expect(codex.mcp_servers.mem!.args).toEqual(expect.arrayContaining(['--name', 'mem', '--policy', path.join(E, '.aex', 'policy.aex'), '--', 'npx', '-y']));
      const gem = JSON.parse(readFileSync(path.join(E, '.gemini', 'settings.json'), 'utf8'));
      expect(gem.theme).toBe('x');
      expect(gem.mcpServers.gh.httpUrl).toBeUndefined();
      expect(gem.mcpServers.gh.headers).toBeUndefined();
      expect(gem.mcpServers.gh.env).toEqual({ AEX_HEADER_GH_AUTHORIZATION: 'tok' });
      expect(gem.mcpServers.local.cwd).toBe('srv');
      expect(gem.mcpServers.local.args).toContain('--policy');
      expect(gem.mcpServers.sse.url).toBe('https://x.invalid/sse');
      expect(r.written).toEqual(expect.arrayContaining(['.codex/config.toml', '.codex/config.toml.bak', '.gemini/settings.json', '.gemini/settings.json.bak']));
      // The policy exists: it is left alone.
      expect(readFileSync(path.join(E, '.aex', 'policy.aex'), 'utf8')).toBe('policy p v0\ngoal "g"\nallow aex.*\n');
    } finally {
      rmSync(E, { recursive: true, force: true });
    }
  });

  it('an old `aex proxy` entry is moved to absolute node + bin/aex.js and gains what it lacks', async () => {
    const E = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-init-old-')));
    try {
      writeFileSync(path.join(E, '.mcp.json'), JSON.stringify({ mcpServers: { done: { command: 'aex', args: ['proxy', '--auto-confirm', '--', 'node', 'x.mjs'] } } }));
      await initMcp(E, { env: env(), listTools: false });
      const doc = JSON.parse(readFileSync(path.join(E, '.mcp.json'), 'utf8'));
      expect(doc.mcpServers.done.command).toBe(process.execPath);
      expect(doc.mcpServers.done.args).toEqual([aexScript(), 'proxy', '--name', 'done', '--policy', path.join(E, '.aex', 'policy.aex'), '--audit', expect.any(String), '--auto-confirm', '--', 'node', 'x.mjs']);
    } finally {
      rmSync(E, { recursive: true, force: true });
    }
  });
});
