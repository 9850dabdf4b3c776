// The real Claude Code client (`claude -p`) in a scratch project wired by `aex init --policy
// --claude-code`, against a scripted Messages API on 127.0.0.1 that replays tool calls. Run by
// npm run test:hosts.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clientBin } from '../shared/clients.js';
import { AEX, ROOT, runClaude, scratchProject, type Scratch } from './session.js';
import { toolEntry, TOOL_TABLE_VERSION } from '../../../src/adapters/claude-code/tool-table.js';
import { gateCommand } from '../../../src/adapters/claude-code/init.js';
import { startServe } from '../../../src/serve/server.js';

const bin = clientBin('claude-code');
let s: Scratch | undefined;
afterEach(() => {
  s?.remove();
  s = undefined;
});

const textOf = (results: { text: string }[]) => results.map((r) => r.text).join('\n');

describe.skipIf(bin === undefined)('Claude Code 2.1 with aex gate (real client)', () => {
  it('offers only tools the AEX table knows, and the table reads their path fields', async () => {
    s = scratchProject();
    const run = await runClaude(bin!, s, [{ text: 'nothing to do' }]);
    expect(run.code, run.stderr).toBe(0);
    const offered = run.server.offeredTools();
    expect(offered.length).toBeGreaterThan(10);
    const PATHISH = /^(file_path|notebook_path|filePath|path|local_path)$/;
    for (const t of offered) {
      const entry = toolEntry(t.name);
      expect(entry, `${t.name} is missing from src/adapters/claude-code/tools.json`).toBeDefined();
      const props = Object.keys(((t.input_schema ?? {}) as { properties?: Record<string, unknown> }).properties ?? {});
      for (const p of props.filter((k) => PATHISH.test(k))) expect(entry!.paths ?? [], `${t.name}.${p}`).toContain(p);
    }
    expect(TOOL_TABLE_VERSION).toMatch(/^2\.1\./);
  });

  it('a denied call is blocked and the model receives AEX’s reason', async () => {
    s = scratchProject();
    const run = await runClaude(bin!, s, [{ toolUses: [{ name: 'Read', input: { file_path: '/etc/hostname' } }] }]);
    const results = run.server.toolResults();
    expect(results).toHaveLength(1);
    expect(results[0]!.isError).toBe(true);
    expect(results[0]!.text).toContain('AEX: no rule allows file.read "/etc/hostname" under policy workspace (.aex/policy.aex)');
  });

  it('an allowed call runs', async () => {
    s = scratchProject();
    const file = path.join(s.project, 'src', 'new.txt');
    const run = await runClaude(bin!, s, [{ toolUses: [{ name: 'Write', input: { file_path: file, content: 'hello\n' } }] }]);
    expect(run.server.toolResults()[0]?.isError, textOf(run.server.toolResults())).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('hello\n');
  });

  it('a compound shell command with one denied part is blocked as a whole', async () => {
    s = scratchProject();
    const run = await runClaude(bin!, s, [{ toolUses: [{ name: 'Bash', input: { command: 'echo one > src/one.txt && sudo rm -rf src', description: 'x' } }] }]);
    const text = textOf(run.server.toolResults());
    expect(text).toContain(`AEX: denied by 'deny shell.exec:"sudo *"'`);
    expect(existsSync(path.join(s.project, 'src', 'one.txt'))).toBe(false);
  });

  it('a protected file cannot be written', async () => {
    s = scratchProject();
    const policy = path.join(s.project, '.aex', 'policy.aex');
    const before = readFileSync(policy, 'utf8');
    const settings = path.join(s.project, '.claude', 'settings.json');
    const settingsBefore = readFileSync(settings, 'utf8');
    // (Claude Code itself refuses a Write of an existing file the session has not read, before
    // any hook runs; a new protected file and shell redirections reach the gate.)
    const mcpJson = path.join(s.project, '.mcp.json');
    const run = await runClaude(bin!, s, [
      { toolUses: [{ name: 'Write', input: { file_path: mcpJson, content: '{"mcpServers":{}}' } }] },
      { toolUses: [{ name: 'Bash', input: { command: `echo 'allow *' >> .aex/policy.aex`, description: 'x' } }] },
      { toolUses: [{ name: 'Bash', input: { command: `echo '{}' > .claude/settings.json`, description: 'x' } }] },
    ]);
    const results = run.server.toolResults();
    expect(results).toHaveLength(3);
    expect(existsSync(mcpJson)).toBe(false);
    for (const r of results) expect(r.text).toMatch(/AEX: denied: .*protected/);
    expect(readFileSync(policy, 'utf8')).toBe(before);
    expect(readFileSync(settings, 'utf8')).toBe(settingsBefore);
  });

  it('the budget holds across a sub-agent (its calls spend the session’s budget)', async () => {
    s = scratchProject((t) => t.replace(/budget calls=\d+/, 'budget calls=3'));
    const run = await runClaude(bin!, s, [
      { toolUses: [{ name: 'Agent', input: { description: 'helper', prompt: 'Run the scripted commands.', subagent_type: 'general-purpose' } }] },
      { toolUses: [{ name: 'Bash', input: { command: 'echo one', description: 'x' } }] },
      { toolUses: [{ name: 'Bash', input: { command: 'echo two', description: 'x' } }] },
      { toolUses: [{ name: 'Bash', input: { command: 'echo three', description: 'x' } }] },
      { text: 'sub-agent done' },
      { text: 'done' },
    ]);
    const text = textOf(run.server.toolResults());
    expect(text, run.stderr).toMatch(/AEX: .*budget/i);
    // The sub-agent's own calls reached the gate with its agent_id, in the same session's audit.
    const auditDir = readdirSync(path.join(s.state, 'projects')).map((p) => path.join(s!.state, 'projects', p, 'audit'))[0]!;
    const lines = readdirSync(auditDir).flatMap((f) => readFileSync(path.join(auditDir, f), 'utf8').trim().split('\n')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => typeof l.agent_id === 'string' && l.hook_tool === 'Bash')).toBe(true);
    expect(lines.filter((l) => l.event === 'tool.allowed').length).toBe(3);
  });

  it('without aex or node on PATH the hook still decides (a denied call stays blocked)', async () => {
    s = scratchProject();
    const run = await runClaude(bin!, s, [{ toolUses: [{ name: 'Read', input: { file_path: '/etc/hostname' } }] }], { path: s.barePath });
    expect(textOf(run.server.toolResults())).toContain('AEX: no rule allows file.read');
  });

  it('a gate that cannot start blocks calls instead of allowing them', async () => {
    s = scratchProject();
    const settings = path.join(s.project, '.claude', 'settings.json');
    const missing = path.join(s.base, 'moved-away', 'aex.js');
    writeFileSync(settings, JSON.stringify({ hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: gateCommand({ bin: missing }) }] }] } }));
    const file = path.join(s.project, 'src', 'blocked.txt');
    const run = await runClaude(bin!, s, [{ toolUses: [{ name: 'Write', input: { file_path: file, content: 'x' } }] }]);
    expect(run.server.toolResults()[0]?.isError).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('an MCP tool behind aex proxy is allowed, another denied by its mcp.S.T name', async () => {
    s = scratchProject((t) => `${t}\nallow mcp.fs.read_text_file\ndeny mcp.fs.write_file\n`);
    const fsServer = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js');
    writeFileSync(path.join(s.project, '.mcp.json'), JSON.stringify({ mcpServers: { fs: { command: process.execPath, args: [fsServer, s.project] } } }));
    const init = spawnSync(process.execPath, [AEX, 'init', '--mcp'], { cwd: s.project, env: { ...process.env, AEX_STATE_DIR: s.state, HOME: s.home }, encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    expect(readFileSync(path.join(s.project, '.mcp.json'), 'utf8')).toContain('proxy');
    const settingsFile = path.join(s.project, '.claude', 'settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(settingsFile, JSON.stringify({ ...settings, enableAllProjectMcpServers: true }));
    const written = path.join(s.project, 'src', 'w.txt');
    const run = await runClaude(
      bin!,
      s,
      [
        // The client connects MCP servers in the background; a model waits with this tool.
        { toolUses: [{ name: 'WaitForMcpServers', input: {} }] },
        { toolUses: [{ name: 'mcp__fs__read_text_file', input: { path: path.join(s.project, 'src', 'index.ts') } }] },
        { toolUses: [{ name: 'mcp__fs__write_file', input: { path: written, content: 'x' } }] },
      ],
      { env: { ENABLE_TOOL_SEARCH: 'false' } },
    );
    const results = run.server.toolResults();
    expect(results, run.stdout + run.stderr).toHaveLength(3);
    expect(results[1]!.isError, results[1]!.text).toBe(false);
    expect(results[1]!.text).toContain('export {}');
    // The proxy hides a tool the policy denies by name (so the client has no such tool), and the
    // gate denies it by the same name should a call reach it.
    expect(results[2]!.text).toMatch(/AEX: denied by 'deny mcp\.fs\.write_file'|No such tool available: mcp__fs__write_file/);
    const offered = run.server.requests.flatMap((r) => ((r.body?.tools ?? []) as { name: string }[]).map((t) => t.name));
    expect(offered).toContain('mcp__fs__read_text_file');
    expect(offered).not.toContain('mcp__fs__write_file');
    expect(existsSync(written)).toBe(false);
  });

  it('confirm before, in claude -p with a single call: the call is deferred, not run', async () => {
    s = scratchProject((t) => `${t}\nconfirm before file.write:./src/**\n`);
    const file = path.join(s.project, 'src', 'confirmed.txt');
    const run = await runClaude(bin!, s, [{ toolUses: [{ name: 'Write', input: { file_path: file, content: 'x' } }] }]);
    const result = JSON.parse(run.stdout) as { stop_reason?: string; deferred_tool_use?: { name?: string } };
    expect(result.stop_reason, run.stdout).toBe('tool_deferred');
    expect(result.deferred_tool_use?.name).toBe('Write');
    expect(existsSync(file)).toBe(false);
  });

  it('confirm before, with two calls in the turn: refused with how to approve', async () => {
    s = scratchProject((t) => `${t}\nconfirm before file.write:./src/**\n`);
    const a = path.join(s.project, 'src', 'a.txt');
    const run = await runClaude(bin!, s, [
      { toolUses: [{ name: 'Write', input: { file_path: a, content: 'x' } }, { name: 'Read', input: { file_path: path.join(s.project, 'src', 'index.ts') } }] },
    ]);
    expect(textOf(run.server.toolResults())).toContain('This session cannot ask for it (non-interactive session with several tool calls in the turn)');
    expect(existsSync(a)).toBe(false);
  });

  it('acceptEdits ("allow all edits this session") never turns AEX’s confirm into a silent yes', async () => {
    s = scratchProject((t) => `${t}\nconfirm before file.write:./src/**\n`);
    const file = path.join(s.project, 'src', 'edited.txt');
    const run = await runClaude(bin!, s, [{ toolUses: [{ name: 'Write', input: { file_path: file, content: 'x' } }, { name: 'Read', input: { file_path: path.join(s.project, 'src', 'index.ts') } }] }], {
      args: ['--permission-mode', 'acceptEdits'],
    });
    expect(textOf(run.server.toolResults())).toContain('AEX: confirmation required');
    expect(existsSync(file)).toBe(false);
  });

  it('an http hook answered by aex serve: denied calls blocked with AEX’s reason, allowed ones run', async () => {
    s = scratchProject();
    const token = 'serve-token-for-the-client';
    const served = await startServe({ listen: { host: '127.0.0.1', port: 0 }, token, env: { ...process.env, AEX_STATE_DIR: s.state } });
    try {
      const settingsFile = path.join(s.project, '.claude', 'settings.json');
      const hook = { type: 'http', url: `${served.url}/hook/claude-code`, headers: { Authorization: 'Bearer $AEX_SERVE_TOKEN' }, allowedEnvVars: ['AEX_SERVE_TOKEN'] };
      writeFileSync(settingsFile, JSON.stringify({ hooks: { PreToolUse: [{ matcher: '*', hooks: [hook] }] } }));
      const file = path.join(s.project, 'src', 'served.txt');
      const run = await runClaude(
        bin!,
        s,
        [{ toolUses: [{ name: 'Read', input: { file_path: '/etc/hostname' } }] }, { toolUses: [{ name: 'Write', input: { file_path: file, content: 'ok\n' } }] }],
        { env: { AEX_SERVE_TOKEN: token } },
      );
      const results = run.server.toolResults();
      expect(results[0]!.text).toContain('AEX: no rule allows file.read "/etc/hostname"');
      expect(results[1]!.isError, results[1]!.text).toBe(false);
      expect(readFileSync(file, 'utf8')).toBe('ok\n');
    } finally {
      await served.close();
    }
  });
});
