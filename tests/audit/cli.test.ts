import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditShow, auditVerify, type AuditIo } from '../../src/cli/commands/audit.js';
import { appendGateAudit } from '../../src/runtime/audit/gate-audit.js';
import { CliError } from '../../src/cli/errors.js';
import { KEY, readLines, runEvents, scratch, writeRun } from './helpers.js';

const s = scratch();
afterAll(() => s.done());

function io(colour = false): AuditIo & { stdout: string; stderr: string } {
  const o = { stdout: '', stderr: '', colour, out: (t: string) => void (o.stdout += t), err: (t: string) => void (o.stderr += t) };
  return o;
}
const keyFile = path.join(s.dir, 'audit.key');
writeFileSync(keyFile, KEY.toString() + '\n');

describe('aex audit verify', () => {
  it('0 when intact, 1 on a break with FILE:LINE, --json with the report', async () => {
    const good = path.join(s.dir, 'good.jsonl');
    await writeRun(good, runEvents(2), { key: KEY });
    const bad = path.join(s.dir, 'bad.jsonl');
    const lines = readLines(good);
    lines[2] = lines[2]!.replace('"noop"', '"nope"');
    writeFileSync(bad, lines.map((l) => l + '\n').join(''));
    const a = io();
    expect(auditVerify([good], { keyFile }, a)).toBe(0);
    expect(a.stdout).toContain('intact, 7 lines, 1 seal checked with the key');
    const b = io();
    expect(auditVerify([good, bad], { keyFile }, b)).toBe(1);
    expect(b.stdout).toContain(`✖ ${bad}:3: prev:`);
    const c = io();
    expect(auditVerify([bad], { json: true }, c)).toBe(1);
    const report = JSON.parse(c.stdout);
    expect(report).toMatchObject({ ok: false, files: [{ file: bad, ok: false, break: { line: 3, kind: 'prev' } }] });
  });

  it('usage errors are exit 2: no file, a missing file, a bad key file', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as CliError;
      }
      throw new Error('no error');
    };
    expect(err(() => auditVerify([], {}, io())).exitCode).toBe(2);
    expect(err(() => auditVerify([path.join(s.dir, 'none.jsonl')], {}, io())).exitCode).toBe(2);
    const empty = path.join(s.dir, 'empty.key');
    writeFileSync(empty, '  \n');
    writeFileSync(path.join(s.dir, 'x.jsonl'), '');
    expect(err(() => auditVerify([path.join(s.dir, 'x.jsonl')], { keyFile: empty }, io())).exitCode).toBe(2);
    expect(err(() => auditVerify([path.join(s.dir, 'x.jsonl')], { keyFile: s.dir }, io())).message).toContain('not a regular file');
  });
});

describe('aex audit show', () => {
  const gate = path.join(s.dir, 'gate-s.jsonl');
  const denied = {
    event: 'tool.denied',
    tool: 'shell.exec',
    hook_tool: 'Bash',
    reason: 'denied',
    rule: 'deny shell.exec:"rm -rf *"',
    source: '.aex/policy.aex:7',
    layer: 'policy',
    action: { cap: 'shell.exec', command: 'rm -rf build' },
  };
  const allowed = {
    event: 'tool.allowed',
    tool: 'shell.exec',
    hook_tool: 'Bash',
    rule: 'allow shell.exec:"git status"',
    source: '.aex/policy.aex:3',
    layer: 'policy',
    action: { cap: 'shell.exec', command: 'git status' },
    actions: [
      { action: { cap: 'shell.exec', command: 'git status' }, rule: 'allow shell.exec:"git status"', source: '.aex/policy.aex:3' },
      { action: { cap: 'shell.exec', command: 'wc -l' }, rule: 'allow shell.exec:"wc *"', source: '.aex/policy.aex:4' },
    ],
  };
  const confirm = { event: 'confirm.required', tool: 'file.write', hook_tool: 'Write', rule: 'confirm before file.write:./src/**', source: '.aex/policy.aex:9', layer: 'policy', action: { cap: 'file.write', paths: ['src/a.ts'] } };
  appendGateAudit(gate, [denied], { now: new Date('2026-01-05T10:00:00.000Z') });
  appendGateAudit(gate, [allowed], { now: new Date('2026-01-05T10:01:00.000Z') });
  appendGateAudit(gate, [confirm], { now: new Date('2026-01-05T10:02:00.000Z') });

  it('one aligned row per decision: time, surface, decision, action, rule and source', async () => {
    const o = io();
    expect(await auditShow([gate], {}, o)).toBe(0);
    const out = o.stdout.split('\n');
    expect(out[0]).toMatch(/^TIME\s+WHERE\s+DECISION\s+ACTION\s+RULE/);
    expect(out[1]).toMatch(/^2026-01-05 10:00:00\.000 {2}gate {3}deny {6}shell\.exec rm -rf build +deny shell\.exec:"rm -rf \*" {2}\.aex\/policy\.aex:7$/);
    expect(out[2]).toContain('allow     shell.exec git status');
    // A compound call lists each action with the rule that allowed it, under the row.
    expect(out[3]).toMatch(/^ +· shell\.exec git status +allow shell\.exec:"git status"/);
    expect(out[4]).toMatch(/^ +· shell\.exec wc -l +allow shell\.exec:"wc \*" {2}\.aex\/policy\.aex:4$/);
    expect(out[5]).toContain('confirm   file.write src/a.ts');
    // The rule column starts at the same place on every row.
    const col = (l: string) => l.indexOf('deny shell') >= 0 ? l.indexOf('deny shell') : l.indexOf('allow shell') >= 0 ? l.indexOf('allow shell') : l.indexOf('confirm before');
    expect(new Set([out[1]!, out[2]!, out[5]!].map(col)).size).toBe(1);
    expect(o.stdout).not.toContain('\x1b[');
  });

  it('filters: --decision, --tool (capability or host tool), --since', async () => {
    const rows = async (flags: Parameters<typeof auditShow>[1]) => {
      const o = io();
      await auditShow([gate], flags, o);
      return o.stdout.split('\n').filter((l) => l.startsWith('2026'));
    };
    expect(await rows({ decision: 'deny' })).toHaveLength(1);
    expect(await rows({ decision: 'confirm' })).toEqual([expect.stringContaining('file.write')]);
    expect(await rows({ tool: 'file.*' })).toHaveLength(1);
    expect(await rows({ tool: 'Bash' })).toHaveLength(2);
    expect(await rows({ since: '2026-01-05T10:00:30Z' })).toHaveLength(2);
    await expect(auditShow([gate], { decision: 'maybe' }, io())).rejects.toMatchObject({ exitCode: 2 });
    await expect(auditShow([gate], { since: 'yesterday' }, io())).rejects.toMatchObject({ exitCode: 2 });
  });

  it('--json keeps the raw lines; colour only when asked (a terminal without NO_COLOR)', async () => {
    const o = io();
    await auditShow([gate], { json: true, decision: 'deny' }, o);
    expect(o.stdout).toBe(readLines(gate)[0] + '\n');
    const c = io(true);
    await auditShow([gate], {}, c);
    expect(c.stdout).toContain('\x1b[31mdeny');
  });

  it('runs are shown as run, and several logs merge into one timeline in time order', async () => {
    const run = path.join(s.dir, 'run.jsonl');
    await writeRun(run, runEvents(1));
    const o = io();
    await auditShow([run, gate], {}, o);
    const rows = o.stdout.split('\n').filter((l) => /^\d{4}-/.test(l));
    expect(rows.map((l) => l.split(/\s{2,}/)[1])).toEqual(['gate', 'gate', 'gate', 'run']);
  });

  it('--follow prints decisions appended later, and stops when aborted', async () => {
    const f = path.join(s.dir, 'follow.jsonl');
    appendGateAudit(f, [denied]);
    const stop = new AbortController();
    const o = { ...io(), signal: stop.signal, followIntervalMs: 10 };
    const seen: string[] = [];
    o.out = (t: string) => void seen.push(t);
    const done = auditShow([f], { follow: true }, o);
    await new Promise((r) => setTimeout(r, 30));
    appendGateAudit(f, [confirm]);
    appendFileSync(f, '{"ts":"2026-01-05T10:09:00.000Z","seq":3,"event":"tool.allowed","tool":"file.re'); // half a line: not yet
    for (let i = 0; i < 20 && !seen.join('').includes('confirm '); i++) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    await done;
    const text = seen.join('');
    expect(text).toContain('deny');
    expect(text).toContain('confirm   file.write src/a.ts');
    expect(text).not.toContain('file.re ');
  });
});
