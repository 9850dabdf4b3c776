import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initClaudeCode } from '../../src/adapters/claude-code/init.js';

let D: string;
beforeEach(() => {
  D = mkdtempSync(path.join(tmpdir(), 'aex-init-cc-'));
});
afterEach(() => rmSync(D, { recursive: true, force: true }));

const settings = () => JSON.parse(readFileSync(path.join(D, '.claude', 'settings.json'), 'utf8'));
const GATE_GROUP = { matcher: '*', hooks: [{ type: 'command', command: 'aex gate' }] };

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
    expect(again.messages[0]).toMatch(/already runs "aex gate"/);
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
});
