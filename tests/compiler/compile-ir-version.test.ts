import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aex, tempDir } from '../cli/helpers.js';

// `aex compile --ir` (docs/design.md#the-ir-contract): the lowest version that expresses the document by
// default, `--ir v1` (and the legacy v0) refuse a document that needs v2, `--ir v2`
// forces v2. `aex check` and `aex fmt` on AEX 2 rules.

const V1 = 'policy one v0\ngoal "g"\nallow file.read:src/**, shell.exec\n';
const V2 = 'policy two v0\ngoal "g"\nallow shell.exec:"git status", mcp.s.t where a in ["x"]\nshell mcp.s.run\n';

function project(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return dir;
}

describe('aex compile --ir', () => {
  it('writes v1 for an AEX 1 document and v2 for an AEX 2 one', () => {
    const dir = project({ 'one.aex': V1, 'two.aex': V2 });
    const one = aex(['compile', 'one.aex'], { cwd: dir });
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).irVersion).toBe('aex-ir/1');
    const two = aex(['compile', 'two.aex'], { cwd: dir });
    expect(two.code, two.stderr).toBe(0);
    const ir = JSON.parse(two.stdout);
    expect(ir.irVersion).toBe('aex-ir/2');
    expect(ir.shells).toEqual(['mcp.s.run']);
    expect(ir.permissions.use[0]).toEqual({ tool: 'shell.exec', loc: { line: 3, column: 7 }, command: 'git status' });
  });

  it('--ir v1 and --ir v0 refuse a document that needs v2, with no output', () => {
    const dir = project({ 'two.aex': V2 });
    for (const v of ['v1', 'v0']) {
      const r = aex(['compile', 'two.aex', '--ir', v], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`--ir ${v} cannot express this document`));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--ir v2 forces v2; --ir v1 keeps the v1 bytes; an unknown version is an error', () => {
    const dir = project({ 'one.aex': V1 });
    const forced = JSON.parse(aex(['compile', 'one.aex', '--ir', 'v2'], { cwd: dir }).stdout);
    expect(forced.irVersion).toBe('aex-ir/2');
    expect(forced.shells).toEqual([]);
    expect(aex(['compile', 'one.aex', '--ir', 'v1'], { cwd: dir }).stdout).toBe(aex(['compile', 'one.aex'], { cwd: dir }).stdout);
    const bad = aex(['compile', 'one.aex', '--ir', 'v3'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unknown IR version "v3"/);
  });
});

describe('aex check and fmt on AEX 2 rules', () => {
  it('reports AEX014/016/017/018 with file, line and column', () => {
    const dir = project({
      'p.aex': 'policy p v0\ngoal "g"\nallow read_file, file.read:"cat *"\ndeny file.read:secrets/**, mcp.x.t where a = 1\n',
    });
    const r = aex(['check', 'p.aex'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('p.aex:3:7: warning AEX017:');
    expect(r.stderr).toContain('p.aex:3:28: error AEX018:');
    expect(r.stderr).toContain('p.aex:4:44: error AEX014: malformed where clause');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('fmt rewrites AEX 2 rules canonically and is idempotent', () => {
    const dir = project({ 'p.aex': 'policy p v0\ngoal "g"\nallow shell.exec:"git  status",mcp.s.t where a==["x"]\n' });
    expect(aex(['fmt', 'p.aex'], { cwd: dir }).code).toBe(0);
    const check = aex(['fmt', '--check', 'p.aex'], { cwd: dir });
    expect(check.code).toBe(0);
  });
});
