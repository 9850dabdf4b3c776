// `__proto__` and `constructor` are ordinary argument names on every runtime surface:
// the tool receives them, and the audit and the confirmation prompt show them exactly as
// written. Before, `__proto__=` became the argument object's prototype — the tool saw an
// inherited value and the audit showed nothing.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import type { IRDocument } from '../../src/ir/types.js';
import { MemorySink } from '../../src/runtime/audit/sinks.js';
import { confirmationText, ttyConfirm } from '../../src/runtime/confirm.js';
import { toJson } from '../../src/runtime/expressions.js';
import { runIR } from '../../src/runtime/interpreter.js';
import type { ToolRegistry } from '../../src/runtime/tools/types.js';
import { resumeWithLangGraph, runWithLangGraph } from '../../src/backends/langgraph/index.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'aex-proto-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function compile(src: string): IRDocument {
  const r = compileSource(src, { path: 'proto.aex' });
  if (!r.ok || !r.ir) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.line}: ${d.message}`).join('; '));
  return r.ir;
}

const CALL = 'do echo(__proto__={"polluted": true}, constructor="ctor", nested={__proto__: "inner", constructor: 1}) -> out';
const CONTRACT = (confirm: boolean) => `task proto v1
goal "prototype keys"
use echo
${confirm ? 'confirm before echo\n' : ''}${CALL}
return out
`;
const WANT_ARGS = { ['__proto__']: { polluted: true }, constructor: 'ctor', nested: { ['__proto__']: 'inner', constructor: 1 } };
const WANT_JSON = '{"__proto__":{"polluted":true},"constructor":"ctor","nested":{"__proto__":"inner","constructor":1}}';

/** What the tool saw: its own keys, in JSON, and whether anything came through a prototype. */
function echoTools(seen: string[]): ToolRegistry {
  return {
    echo: async (a) => {
      seen.push(JSON.stringify(a));
      return { keys: Object.keys(a), inherited: (a as { polluted?: unknown }).polluted ?? null };
    },
  };
}

const argsOf = (events: Array<Record<string, unknown>>, event: string) => JSON.stringify(events.find((e) => e.event === event)?.args);

describe('prototype keys in the native runtime', () => {
  it('reach the tool and the audit as written, and pollute nothing', async () => {
    const seen: string[] = [];
    const sink = new MemorySink();
    const r = await runIR(compile(CONTRACT(false)), { tools: echoTools(seen), builtins: false, sinks: [sink] });
    expect(r.status).toBe('success');
    expect(seen).toEqual([WANT_JSON]);
    expect(r.output).toEqual({ keys: ['__proto__', 'constructor', 'nested'], inherited: null });
    expect(argsOf(sink.events, 'tool.allowed')).toBe(WANT_JSON);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('are shown in the confirmation request and the prompt', async () => {
    const requests: string[] = [];
    const sink = new MemorySink();
    const r = await runIR(compile(CONTRACT(true)), {
      tools: echoTools([]),
      builtins: false,
      sinks: [sink],
      confirm: (_tool, req) => {
        requests.push(JSON.stringify(req.args));
        return true;
      },
    });
    expect(r.status).toBe('success');
    expect(requests).toEqual([WANT_JSON]);
    expect(argsOf(sink.events, 'confirm.required')).toBe(WANT_JSON);

    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c) => (shown += String(c)));
    const args = JSON.parse(WANT_JSON) as Record<string, never>;
    const answer = ttyConfirm(input, output)('echo', { tool: 'echo', args, line: 4, message: 'echo needs a confirmation' }, { cwd: tmp });
    setTimeout(() => input.write('n\n'), 10);
    expect(await answer).toBe(false);
    expect(shown).toContain(`arguments: ${WANT_JSON}`);
    expect(shown).toContain('confirm Allow tool "echo"? [y/N]: ');
  });

  it('the prompt escapes what a terminal would act on', () => {
    const text = confirmationText('echo', { args: { cmd: 'ok\u001b[2K\u009b2Kfake\u202egnp.exe' }, line: 1 });
    expect(text).not.toMatch(/[\u001b\u009b\u202e]/);
    expect(text).toContain('\\u001b[2K\\u009b2Kfake\\u202egnp.exe');
  });

  it('toJson keeps a __proto__ key of a tool result when it copies', () => {
    const parsed = JSON.parse('{"__proto__": {"x": 1}, "constructor": 2, "u": null}') as Record<string, unknown>;
    parsed.u = undefined; // forces a copy
    expect(JSON.stringify(toJson(parsed))).toBe('{"__proto__":{"x":1},"constructor":2,"u":null}');
  });
});

describe('prototype keys on the LangGraph backend', () => {
  it('survive a pause in a SQLite checkpoint and a resume', async () => {
    const ir = compile(CONTRACT(true));
    const seen: string[] = [];
    const first = new MemorySink();
    const file = path.join(tmp, 'proto.sqlite');
    const paused = await runWithLangGraph(ir, { tools: echoTools(seen), builtins: false, sinks: [first], checkpoint: file });
    if (paused.status !== 'interrupted') throw new Error('expected a pause');
    expect(JSON.stringify(paused.waitingFor.args)).toBe(WANT_JSON);
    expect(argsOf(first.events, 'confirm.required')).toBe(WANT_JSON);
    const second = new MemorySink();
    const done = await resumeWithLangGraph(ir, { checkpoint: file, threadId: paused.threadId, answer: true, tools: echoTools(seen), builtins: false, sinks: [second] });
    expect(done.status).toBe('success');
    expect(seen).toEqual([WANT_JSON]);
    expect(argsOf(second.events, 'tool.allowed')).toBe(WANT_JSON);
  });
});

describe('prototype keys through the CLI', () => {
  it('aex run shows __proto__ and constructor in the audit file and hands them to the tool', () => {
    const dir = mkdtempSync(path.join(tmp, 'cli-'));
    writeFileSync(path.join(dir, 'proto.aex'), CONTRACT(false));
    writeFileSync(path.join(dir, 'tools.mjs'), 'export default { echo: async (a) => ({ keys: Object.keys(a), inherited: a.polluted ?? null }) };\n');
    const bin = path.resolve(__dirname, '../../bin/aex.js');
    const r = spawnSync(process.execPath, [bin, 'run', 'proto.aex', '--tools', 'tools.mjs', '--audit', 'audit.jsonl'], { cwd: dir, encoding: 'utf8', input: '' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ keys: ['__proto__', 'constructor', 'nested'], inherited: null });
    const events = readFileSync(path.join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(argsOf(events, 'tool.allowed')).toBe(WANT_JSON);
    expect(WANT_ARGS.constructor).toBe('ctor');
  }, 30_000);
});
