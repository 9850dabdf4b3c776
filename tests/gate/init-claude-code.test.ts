import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { gateCommand, initClaudeCode } from '../../src/adapters/claude-code/init.js';

let D: string;
beforeEach(() => {
  D = mkdtempSync(path.join(tmpdir(), 'aex-init-cc-'));
});
afterEach(() => rmSync(D, { recursive: true, force: true }));

const settings = () => JSON.parse(readFileSync(path.join(D, '.claude', 'settings.json'), 'utf8'));
const GATE_GROUP = { matcher: '*', hooks: [{ type: 'command', command: gateCommand() }] };

describe('initClaudeCode', () => {
  it('creates .claude/settings.json with the nested hook shape', () => {
    const r = initClaudeCode(D);
    expect(r.written).toEqual(['.claude/settings.json']);
    expect(r.skipped).toEqual([]);
    expect(settings()).toEqual({ hooks: { PreToolUse: [GATE_GROUP] } });
  });

  it('merges with existing settings and hooks without clobbering them', () => {
    mkdirSync(path.join(D, '.claude'));
    const existing = {
      model: 'opus',
      permissions: { allow: ['Bash(npm test)'] },
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './guard.sh' }] }],
        PostToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: 'prettier -w' }] }],
      },
    };
    writeFileSync(path.join(D, '.claude', 'settings.json'), JSON.stringify(existing));
    initClaudeCode(D);
    expect(settings()).toEqual({ ...existing, hooks: { ...existing.hooks, PreToolUse: [...existing.hooks.PreToolUse, GATE_GROUP] } });
  });

  it('does nothing when the gate hook is already there', () => {
    initClaudeCode(D);
    const before = readFileSync(path.join(D, '.claude', 'settings.json'), 'utf8');
    const again = initClaudeCode(D);
    expect(again.written).toEqual([]);
    expect(again.messages[0]).toMatch(/already runs the gate/);
    expect(readFileSync(path.join(D, '.claude', 'settings.json'), 'utf8')).toBe(before);
  });

  it('refuses to touch settings it cannot parse', () => {
    mkdirSync(path.join(D, '.claude'));
    writeFileSync(path.join(D, '.claude', 'settings.json'), '{"hooks": ');
    expect(() => initClaudeCode(D)).toThrow(/\.claude\/settings\.json is not valid JSON .*left unchanged/);
    expect(readFileSync(path.join(D, '.claude', 'settings.json'), 'utf8')).toBe('{"hooks": ');
    writeFileSync(path.join(D, '.claude', 'settings.json'), '{"hooks": {"PreToolUse": {}}}');
    expect(() => initClaudeCode(D)).toThrow(/"hooks.PreToolUse" must be an array/);
  });

  it('replaces an older bare `aex gate` hook, which fails open without aex on PATH', () => {
    mkdirSync(path.join(D, '.claude'));
    writeFileSync(path.join(D, '.claude', 'settings.json'), JSON.stringify({ hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: 'aex gate' }] }] } }));
    const r = initClaudeCode(D);
    expect(r.messages[0]).toMatch(/Replaced the gate hook .* fail-closed/);
    expect(settings()).toEqual({ hooks: { PreToolUse: [GATE_GROUP] } });
  });

  it('says what it wrote and why', () => {
    const r = initClaudeCode(D);
    const text = r.messages.join('\n');
    expect(text).toContain(gateCommand());
    expect(text).toMatch(/without aex on PATH/);
    expect(text).toMatch(/\|\| exit 2/);
  });

  it('--serve wires the thin client of aex serve, which blocks while no server answers', () => {
    initClaudeCode(D, { serve: true });
    const cmd = settings().hooks.PreToolUse[0].hooks[0].command as string;
    expect(cmd).toMatch(/ gate --server http:\/\/127\.0\.0\.1:\d+ --token-file '.*' \|\| exit 2$/);
  });
});

describe('the installed command fails closed (a real shell, as Claude Code runs it)', () => {
  const payload = JSON.stringify({ session_id: 's', cwd: '', hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: '/etc/hostname' } });
  const run = (command: string) =>
    spawnSync('/bin/sh', ['-c', command], { input: payload.replace('"cwd":""', JSON.stringify({ cwd: D }).slice(1, -1)), env: { PATH: '/nonexistent', AEX_STATE_DIR: path.join(D, 'state') }, encoding: 'utf8' });

  it('decides without aex (or node) on PATH', () => {
    const r = run(gateCommand());
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('"permissionDecision":"deny"');
  });

  it('blocks (exit 2) when the gate cannot start at all', () => {
    expect(run(gateCommand({ bin: path.join(D, 'missing', 'aex.js') })).status).toBe(2);
    expect(run(gateCommand({ node: path.join(D, 'no-node') })).status).toBe(2);
  });

  it('blocks when --serve is installed and no server answers', () => {
    const r = run(gateCommand({ serve: true, env: { AEX_STATE_DIR: path.join(D, 'state') } }));
    expect(r.status).toBe(2);
  });
});
