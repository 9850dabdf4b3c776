// A host tool the policy declares a shell (`shell host.sh`, docs/language.md) is judged per
// simple command of its `command` argument, on the native interpreter and on LangGraph
// alike: `git status` runs under `allow shell.exec:"git status"`, and no spelling of a
// compound line gets `rm -rf /` past it. The handler records calls and runs nothing.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { runIR } from '../../src/runtime/interpreter.js';
import { runWithLangGraph } from '../../src/backends/langgraph/index.js';
import { loadPolicyFile } from '../../src/runtime/policy/load.js';
import { MemorySink } from '../../src/runtime/audit/sinks.js';
import type { IRDocument } from '../../src/ir/types.js';
import type { RunOptions } from '../../src/runtime/run-options.js';
import type { RunResult } from '../../src/runtime/steps/types.js';

const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-shell-actions-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  path.join(dir, 'policy.aex'),
  [
    'policy host_shell v1',
    'goal "host.sh may run git status and nothing else."',
    'shell host.sh',
    'allow shell.exec:"git status *"',
    'confirm before shell.exec:"git status --porcelain"',
    'deny shell.exec:"rm -rf *"',
    '',
  ].join('\n'),
);

function contract(line: string): IRDocument {
  const literal = JSON.stringify(line);
  const src = `task run_line v1\ngoal "Run one line through the host shell."\nuse host.sh, shell.exec\n\ndo host.sh(command=${literal}) -> out\nreturn out\n`;
  const r = compileSource(src, { path: path.join(dir, 'run.aex') });
  if (!r.ok || !r.ir) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.ir;
}

type Backend = (ir: IRDocument, options: RunOptions) => Promise<RunResult>;

async function run(backend: Backend, line: string, confirm?: boolean) {
  const calls: string[] = [];
  const sink = new MemorySink();
  const policy = (await loadPolicyFile(path.join(dir, 'policy.aex'), { cwd: dir })).layer;
  const options: RunOptions = {
    cwd: dir,
    policy,
    builtins: false,
    sinks: [sink],
    tools: {
      'host.sh': async (args) => {
        calls.push(String(args.command));
        return 'ran';
      },
    },
  };
  if (confirm !== undefined) options.confirm = () => confirm;
  const result = await backend(contract(line), options);
  const events = sink.events.map(({ ts: _ts, seq: _seq, run_id: _r, duration_ms: _d, ...rest }) => rest as Record<string, unknown>);
  return { result, calls, events };
}

const backends: Array<[string, Backend]> = [
  ['native', runIR],
  ['langgraph', runWithLangGraph as Backend],
];

describe.each(backends)('a shell-declared host tool on the %s backend', (_name, backend) => {
  it('runs "git status": one allowed action, named by its rule', async () => {
    const r = await run(backend, 'git status');
    expect(r.result.status).toBe('success');
    expect(r.calls).toEqual(['git status']);
    expect(r.events.find((e) => e.event === 'tool.allowed')).toMatchObject({
      tool: 'host.sh',
      rule: 'allow shell.exec:"git status *"',
      source: 'policy.aex:4',
      layer: 'policy',
      action: { cap: 'shell.exec', command: 'git status' },
    });
  });

  it.each([
    'git status; rm -rf /',
    'git status && rm -rf /',
    'git status\nrm -rf /',
    'git status | rm -rf /',
    'git status $(rm -rf /)',
    'git status; bash -c "rm -rf /"',
    'git status; eval "rm -rf /"',
  ])('refuses %j before the tool runs (AEX051, the deny rule named)', async (line) => {
    const r = await run(backend, line);
    expect(r.result.status).toBe('blocked');
    expect(r.result.reasons[0]).toMatchObject({ code: 'AEX051' });
    expect(r.result.reasons[0]!.message).toMatch(/^denied by 'deny shell\.exec:"rm -rf \*"' \(policy\.aex:6\): rm -rf \//);
    expect(r.calls).toEqual([]);
  });

  it('a command no rule allows is AEX050 and names it', async () => {
    const r = await run(backend, 'git status && curl http://127.0.0.1/');
    expect(r.result.reasons[0]).toMatchObject({ code: 'AEX050' });
    expect(r.result.reasons[0]!.message).toMatch(/^no rule allows shell\.exec "curl http:\/\/127\.0\.0\.1\/" under policy host_shell/);
    expect(r.calls).toEqual([]);
  });

  it('a confirm pattern on one command of the line asks before the tool runs', async () => {
    const refused = await run(backend, 'git status; git status --porcelain', false);
    expect(refused.result.reasons[0]).toMatchObject({ code: 'AEX053' });
    expect(refused.calls).toEqual([]);
    const approved = await run(backend, 'git status; git status --porcelain', true);
    expect(approved.result.status).toBe('success');
    expect(approved.calls).toEqual(['git status; git status --porcelain']);
  });
});

describe('both backends give the same event stream', () => {
  it.each(['git status', 'git status; rm -rf /', 'git status; git status --porcelain'])('%j', async (line) => {
    const native = await run(runIR, line, true);
    const graph = await run(runWithLangGraph as Backend, line, true);
    expect(graph.events).toEqual(native.events);
  });
});
