import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initCodex } from '../../../src/adapters/codex/init.js';
import { initCursor } from '../../../src/adapters/cursor/init.js';
import { initGemini } from '../../../src/adapters/gemini/init.js';
import { gateHookCommand } from '../../../src/adapters/hook-command.js';

const dirs: string[] = [];
const scratch = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'aex-init-host-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const read = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, any>;

describe('the hook command', () => {
  it('names node and bin/aex.js by absolute path and blocks when it cannot run', () => {
    const c = gateHookCommand('codex');
    expect(c.startsWith(process.execPath) || c.startsWith(`'${process.execPath}`)).toBe(true);
    expect(c).toMatch(/\/bin\/aex\.js'? gate --host codex \|\| \{ echo .* >&2; exit 2; \}$/);
    expect(gateHookCommand('gemini', { node: "/opt/my node/node", bin: "/x/it's/aex.js" })).toMatch(/^'\/opt\/my node\/node' '\/x\/it'\\''s\/aex\.js' gate --host gemini/);
  });
});

describe('aex init --codex', () => {
  it('adds a PreToolUse hook on every tool to .codex/hooks.json, keeping other hooks, once', () => {
    const d = scratch();
    mkdirSync(path.join(d, '.codex'));
    writeFileSync(path.join(d, '.codex', 'hooks.json'), JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command: 'true' }] }] } }));
    const r = initCodex(d, {});
    expect(r.written).toEqual(['.codex/hooks.json']);
    const cfg = read(path.join(d, '.codex', 'hooks.json'));
    expect(cfg.hooks.Stop).toHaveLength(1);
    expect(cfg.hooks.PreToolUse).toEqual([{ matcher: '*', hooks: [{ type: 'command', command: gateHookCommand('codex'), timeout: 30, statusMessage: 'AEX: checking the call' }] }]);
    expect(r.messages.join('\n')).toMatch(/trusted project/);
    expect(initCodex(d, {}).written).toEqual([]);
  });
  it('refuses a hooks file it cannot read, leaving it unchanged', () => {
    const d = scratch();
    mkdirSync(path.join(d, '.codex'));
    writeFileSync(path.join(d, '.codex', 'hooks.json'), '{"hooks": []}');
    expect(() => initCodex(d, {})).toThrow(/must be an object/);
    expect(readFileSync(path.join(d, '.codex', 'hooks.json'), 'utf8')).toBe('{"hooks": []}');
  });
});

describe('aex init --gemini', () => {
  it('adds a BeforeTool hook, keeps mcpServers, and switches hooks back on', () => {
    const d = scratch();
    mkdirSync(path.join(d, '.gemini'));
    writeFileSync(path.join(d, '.gemini', 'settings.json'), JSON.stringify({ mcpServers: { fs: { command: 'x' } }, hooksConfig: { enabled: false } }));
    initGemini(d, {});
    const s = read(path.join(d, '.gemini', 'settings.json'));
    expect(s.mcpServers.fs.command).toBe('x');
    expect(s.hooksConfig.enabled).toBe(true);
    expect(s.hooks.BeforeTool[0].matcher).toBe('.*');
    expect(s.hooks.BeforeTool[0].hooks[0]).toMatchObject({ type: 'command', command: gateHookCommand('gemini') });
    expect(initGemini(d, {}).written).toEqual([]);
  });
});

describe('aex init --cursor', () => {
  it('installs the gate on the four events with failClosed, and turns failClosed on for an old entry', () => {
    const d = scratch();
    mkdirSync(path.join(d, '.cursor'));
    writeFileSync(path.join(d, '.cursor', 'hooks.json'), JSON.stringify({ version: 1, hooks: { beforeReadFile: [{ command: 'aex gate --host cursor' }] } }));
    initCursor(d, {});
    const c = read(path.join(d, '.cursor', 'hooks.json'));
    for (const e of ['beforeShellExecution', 'beforeMCPExecution', 'beforeReadFile', 'preToolUse']) {
      expect(c.hooks[e]).toHaveLength(1);
      expect(c.hooks[e][0].failClosed).toBe(true);
    }
    expect(c.hooks.preToolUse[0].command).toBe(gateHookCommand('cursor'));
    expect(initCursor(d, {}).written).toEqual([]);
  });
});
