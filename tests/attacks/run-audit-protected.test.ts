// While `aex run` is open its own record is protected state: a contract may not rewrite
// its audit file — not with file.write, not through a shell line's redirection, not with
// a patch, not through a link — nor the checkpoint, the key file, the modules a resume
// loads again, or AEX's state directory, even when its rules allow writing everywhere.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { MemorySink } from '../../src/runtime/audit/sinks.js';
import { runIR } from '../../src/runtime/interpreter.js';
import { runProtectedEntries } from '../../src/cli/run-setup.js';

const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-run-protect-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const q = (s: string) => JSON.stringify(s);

function contract(call: string): string {
  return `task writer v1
goal "rewrite AEX's own record"
use file.write, git.apply, sh
shell sh
${call}
return out
`;
}

function project() {
  const root = mkdtempSync(path.join(base, 'p-'));
  mkdirSync(path.join(root, 'logs'));
  writeFileSync(path.join(root, 'logs', 'audit.jsonl'), '');
  symlinkSync('logs', path.join(root, 'alias'));
  const state = path.join(base, 'state');
  const protect = runProtectedEntries({
    cwd: root,
    audit: 'logs/audit.jsonl',
    checkpoint: path.join(root, 'st.sqlite'),
    keyFile: path.join(root, 'audit.key'),
    reloaded: [path.join(root, 'tools.mjs')],
    stateDir: state,
  });
  return { root, state, protect };
}

const patch = (file: string) => `--- a/${file}\n+++ b/${file}\n@@ -0,0 +1 @@\n+{"forged":true}\n`;

const ATTEMPTS: Array<[string, (p: { root: string; state: string }) => string]> = [
  ['file.write of the audit file', () => `do file.write(path="logs/audit.jsonl", contents="{}") -> out`],
  ['file.write through a linked folder', () => `do file.write(path="alias/audit.jsonl", contents="{}") -> out`],
  ['file.write by absolute path', ({ root }) => `do file.write(path=${q(path.join(root, 'logs/audit.jsonl'))}, contents="{}") -> out`],
  ['a shell redirection', () => `do sh(command="echo forged >> logs/audit.jsonl") -> out`],
  ['a shell program that writes (tee)', () => `do sh(command="echo forged | tee -a alias/audit.jsonl") -> out`],
  ['a patch through file.write', () => `do file.write(diff=${q(patch('logs/audit.jsonl'))}) -> out`],
  ['a patch through git.apply', () => `do git.apply(diff=${q(patch('logs/audit.jsonl'))}) -> out`],
  ['the checkpoint file', () => `do file.write(path="st.sqlite-wal", contents="x") -> out`],
  ['the key file', () => `do file.write(path="audit.key", contents="k") -> out`],
  ['the tools module a resume imports', () => `do file.write(path="tools.mjs", contents="export default {}") -> out`],
  ['the state directory', ({ state }) => `do file.write(path=${q(path.join(state, 'projects/x/gate-budget/y.json'))}, contents="{}") -> out`],
];

describe('a run cannot write its own record', () => {
  it.each(ATTEMPTS)('%s is refused with reason protected', async (_name, call) => {
    const p = project();
    const r = compileSource(contract(call(p)), { path: path.join(p.root, 'writer.aex') });
    if (!r.ok || !r.ir) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    const sink = new MemorySink();
    const sh = async () => 'ran';
    const result = await runIR(r.ir, { cwd: p.root, sinks: [sink], protect: p.protect, tools: { sh } });
    expect(result.status).toBe('blocked');
    const denied = sink.events.find((e) => e.event === 'tool.denied');
    expect(denied).toMatchObject({ reason: 'protected', layer: 'protected' });
    expect(readFileSync(path.join(p.root, 'logs', 'audit.jsonl'), 'utf8')).toBe('');
  });

  it('other files stay writable (the rule is about AEX state, not a blanket refusal)', async () => {
    const p = project();
    const r = compileSource(contract('do file.write(path="logs/notes.txt", contents="fine") -> out'), { path: path.join(p.root, 'writer.aex') });
    const result = await runIR(r.ir!, { cwd: p.root, protect: p.protect });
    expect(result.status).toBe('success');
  });

  it('through the CLI: aex run --audit FILE refuses a contract that rewrites FILE (through a link), and the log stays intact', () => {
    const p = project();
    writeFileSync(path.join(p.root, 'writer.aex'), contract('do file.write(path="alias/audit.jsonl", contents="{}") -> out'));
    writeFileSync(path.join(p.root, 'tools.mjs'), "import { appendFileSync } from 'node:fs'; export default { sh: async () => { appendFileSync('logs/audit.jsonl', 'forged\\n'); return 'ran'; } };\n");
    const bin = path.resolve(__dirname, '../../bin/aex.js');
    const r = spawnSync(process.execPath, [bin, 'run', 'writer.aex', '--audit', 'logs/audit.jsonl', '--tools', 'tools.mjs'], { cwd: p.root, encoding: 'utf8', input: '', env: { ...process.env, AEX_STATE_DIR: p.state } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/AEX051: denied: .*audit\.jsonl is AEX's protected state/);
    const lines = readFileSync(path.join(p.root, 'logs', 'audit.jsonl'), 'utf8').trim().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { event: string; reason?: string });
    expect(events.map((e) => e.event)).toEqual(['run.started', 'tool.denied', 'run.finished']);
    expect(events[1]!.reason).toBe('protected');
  }, 30_000);
});
