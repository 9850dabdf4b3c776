// Security cases of issue 3 run through the interpreter with the real built-in tools:
// each attempt must be refused and show up in the audit.
import { describe, expect, it, vi } from 'vitest';

// These tests spawn processes; under a loaded machine they need more than the default 5 s.
vi.setConfig({ testTimeout: 60_000 });
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileSource } from '../../src/compiler/index.js';
import { runIR } from '../../src/runtime/interpreter.js';
import { MemorySink } from '../../src/runtime/audit/sinks.js';
import type { PermissionLayer } from '../../src/rules/types.js';

function sandbox() {
  const base = mkdtempSync(path.join(os.tmpdir(), 'aex-sec-'));
  const root = path.join(base, 'root');
  mkdirSync(path.join(root, 'src'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'ok.txt'), 'fine');
  writeFileSync(path.join(base, 'secret.txt'), 'TOP SECRET');
  symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'link.txt'));
  symlinkSync(base, path.join(root, 'outdir'));
  return { base, root };
}

async function run(source: string, inputs: Record<string, unknown>, cwd: string, policy?: PermissionLayer) {
  const c = compileSource(source, { path: 'sec.aex' });
  if (!c.ok || !c.ir) throw new Error(JSON.stringify(c.diagnostics));
  const sink = new MemorySink();
  const result = await runIR(c.ir, { inputs, cwd, sinks: [sink], confirm: () => true, ...(policy ? { policy } : {}) });
  return { result, events: sink.events.map(({ ts: _t, seq: _s, ...e }) => e) };
}

const READ = `task sec_read v0
goal "read"
use file.read
need p: str

do file.read(paths=[p]) -> r
return r
`;
const WRITE = `task sec_write v0
goal "write"
use file.write
need p: str

do file.write(path=p, contents="pwned") -> r
return r
`;
const TESTS = `task sec_tests v0
goal "tests"
use tests.run
need cmd: json

do tests.run(cmd=cmd) -> r
return r
`;

describe('refused and audited', () => {
  const { base, root } = sandbox();

  for (const [label, p] of [
    ['.. traversal', '../secret.txt'],
    ['absolute path', path.join(base, 'secret.txt')],
    ['symlink to a file outside', 'link.txt'],
    ['symlinked directory outside', 'outdir/secret.txt'],
    ['NUL byte', 'src/ok.txt\0.png'],
    ['URL-encoded traversal is a literal name', '%2e%2e/secret.txt'],
  ] as const) {
    it(`file.read: ${label}`, async () => {
      const { result, events } = await run(READ, { p }, root);
      expect(result.status).toBe('blocked');
      expect(JSON.stringify(result.output ?? null)).not.toContain('TOP SECRET');
      const last = events.at(-2)!;
      expect(['tool.failed', 'tool.denied']).toContain(last.event);
      expect(events.at(-1)).toMatchObject({ event: 'run.finished', status: 'blocked' });
    });
  }

  for (const [label, p] of [
    ['.. traversal', '../escape.txt'],
    ['symlinked directory outside', 'outdir/escape.txt'],
    ['through a symlink to a file outside', 'link.txt'],
  ] as const) {
    it(`file.write: ${label}`, async () => {
      const { result, events } = await run(WRITE, { p }, root);
      expect(result.status).toBe('blocked');
      expect(existsSync(path.join(base, 'escape.txt'))).toBe(false);
      expect(readFileSync(path.join(base, 'secret.txt'), 'utf8')).toBe('TOP SECRET');
      expect(events.at(-2)!.event).toBe('tool.failed');
    });
  }

  for (const [label, cmd] of [
    ['semicolon', 'echo a; id'],
    ['&&', 'echo a && id'],
    ['pipe', 'echo a | id'],
    ['backticks', 'echo `id`'],
    ['$()', 'echo $(id)'],
    ['newline', 'echo a\nid'],
  ] as const) {
    it(`tests.run refuses shell syntax: ${label}`, async () => {
      const { result, events } = await run(TESTS, { cmd }, root);
      expect(result.status).toBe('blocked');
      expect(events.at(-2)).toMatchObject({ event: 'tool.failed', tool: 'tests.run' });
    });
  }

  it('tests.run with an argv array passes metacharacters verbatim, never to a shell', async () => {
    const { result } = await run(TESTS, { cmd: [process.execPath, '-e', 'process.stdout.write(process.argv[1])', '; id'] }, root);
    expect(result.status).toBe('success');
    expect(result.output).toMatchObject({ passed: true, stdout: '; id' });
  });

  it('a deny rule is not beaten by a networkx.* prefix or by case', async () => {
    const src = `task sec_net v0
goal "net"
use *

do Network.fetch(u="x")
return 1
`;
    const policy: PermissionLayer = {
      kind: 'policy',
      name: 'p',
      allow: [{ tool: 'network.*' }, { tool: 'networkx.*' }],
      deny: [{ tool: 'network.*' }],
      confirm: [],
      budget: {},
    };
    const c = compileSource(src, { path: 'n.aex' });
    if (!c.ok || !c.ir) throw new Error(JSON.stringify(c.diagnostics));
    const sink = new MemorySink();
    const tools = { 'Network.fetch': async () => 'leaked', 'network.fetch': async () => 'leaked' };
    const r1 = await runIR(c.ir, { cwd: root, sinks: [sink], tools, policy });
    expect(r1.reasons[0]!.code).toBe('AEX050');
    expect(sink.events.at(-2)).toMatchObject({ event: 'tool.denied', tool: 'Network.fetch', reason: 'not_allowed' });
    const c2 = compileSource(src.replace('Network.fetch', 'network.fetch'), { path: 'n.aex' });
    const r2 = await runIR(c2.ir!, { cwd: root, tools, policy });
    expect(r2.reasons[0]!.code).toBe('AEX051');
  });
});
