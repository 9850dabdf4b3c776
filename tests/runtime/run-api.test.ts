import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runIR } from '../../src/runtime/interpreter.js';
import { runTask } from '../../src/api/run-task.js';
import { compileFile } from '../../src/compiler/index.js';
import { MemorySink } from '../../src/runtime/audit/sinks.js';
import { ttyConfirm } from '../../src/runtime/confirm.js';
import { defaultAuditPath, parseInputAssignment } from '../../src/cli/commands/run.js';
import { rawValues } from '../../src/cli/raw-argv.js';

const strip = (s: MemorySink) => s.events.map(({ ts: _t, seq: _s, ...e }) => e);

describe('runTask / runIR host API (docs/design.md#runtime-semantics)', () => {
  it('runTask compiles and runs; it behaves exactly like runIR on the same document', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aex-api-'));
    const file = path.join(dir, 't.aex');
    writeFileSync(file, 'task api v0\ngoal "x"\nuse echo\nneed n: int\n\ndo echo(n=n) -> r\nreturn r\n');
    const tools = { echo: async (a: Record<string, unknown>) => a };
    const a = new MemorySink();
    const b = new MemorySink();
    const r1 = await runTask(file, { inputs: { n: 3 }, tools, builtins: false, sinks: [a] });
    const r2 = await runIR(compileFile(file).ir!, { inputs: { n: 3 }, tools, builtins: false, sinks: [b] });
    expect(r1).toEqual({ status: 'success', issues: [], reasons: [], output: { n: 3 } });
    expect(r2).toEqual(r1);
    expect(strip(a)).toEqual(strip(b));
  });

  it('runTask rejects a contract with error diagnostics: run.rejected {issues}', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aex-api-'));
    const file = path.join(dir, 'bad.aex');
    writeFileSync(file, 'task bad v0\ngoal "x"\n\nreturn nope\n');
    const sink = new MemorySink();
    const r = await runTask(file, { sinks: [sink] });
    expect(r.status).toBe('blocked');
    expect(r.issues[0]).toMatch(/^AEX021: line 4: /);
    expect(strip(sink)).toEqual([{ event: 'run.rejected', issues: r.issues }]);
  });

  it('a policy document cannot be run', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aex-api-'));
    const file = path.join(dir, 'p.aex');
    writeFileSync(file, 'policy p v0\ngoal "x"\nallow file.read\n');
    const r = await runTask(file, {});
    expect(r.status).toBe('blocked');
  });
});

describe('confirmation prompt', () => {
  for (const [answer, expected] of [['y\n', true], ['Yes\n', true], ['n\n', false], ['\n', false]] as const) {
    it(`answer ${JSON.stringify(answer)} → ${expected}`, async () => {
      const input = new PassThrough();
      const output = new PassThrough();
      let shown = '';
      output.on('data', (c) => (shown += String(c)));
      const ask = ttyConfirm(input, output);
      const p = ask('file.write', { tool: 'file.write', args: {}, line: 1 }, { cwd: '/' });
      setTimeout(() => input.write(answer), 10);
      expect(await p).toBe(expected);
      expect(shown).toContain('confirm Allow tool "file.write"? [y/N]: ');
    });
  }
});

describe('run command helpers', () => {
  it('--input values: JSON when it parses, else the string', () => {
    expect(parseInputAssignment('a=1')).toEqual(['a', 1]);
    expect(parseInputAssignment('a={"x":[1]}')).toEqual(['a', { x: [1] }]);
    expect(parseInputAssignment('a=hello world')).toEqual(['a', 'hello world']);
    expect(parseInputAssignment('a=x=y')).toEqual(['a', 'x=y']);
    expect(parseInputAssignment('a=')).toEqual(['a', '']);
    expect(() => parseInputAssignment('=1')).toThrow('NAME=VALUE');
  });

  it('repeatable raw values stop at --', () => {
    expect(rawValues('input', ['run', 'f', '--input', 'a=0123', '--input=b=2', '--', '--input', 'c=3'])).toEqual(['a=0123', 'b=2']);
  });

  it('contracts under .aex/runs/ get a default audit file next to them', () => {
    expect(defaultAuditPath('.aex/runs/20260101-fix.aex')).toBe('.aex/runs/20260101-fix.audit.jsonl');
    expect(defaultAuditPath('tasks/fix.aex')).toBeUndefined();
  });
});
