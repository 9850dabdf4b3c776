// Every surface's decision lines keep the kernel's provenance (rule, source, layer, action;
// actions for compound calls) through the chained writer, and the log they leave verifies.
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { runGate } from '../../src/gate/bundle-entry.js';
import { parseGateArgs } from '../../src/gate/options.js';
import { compileSource } from '../../src/compiler/index.js';
import { createAuditLog } from '../../src/runtime/audit/emitter.js';
import { JsonlFileSink } from '../../src/runtime/audit/sinks.js';
import { runIR } from '../../src/runtime/interpreter.js';
import { projectStateDirectory } from '../../src/runtime/state-dir.js';
import { auditShow } from '../../src/cli/commands/audit.js';
import { KEY, readLines, scratch } from './helpers.js';

const s = scratch();
let P: string;
beforeAll(() => {
  P = path.join(realpathSync(s.dir), 'project');
  mkdirSync(path.join(P, '.aex'), { recursive: true });
});
afterAll(() => s.done());

const decisions = (file: string) => readLines(file).map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => ['tool.allowed', 'tool.denied', 'confirm.required'].includes(e.event as string));

describe('aex run (the interpreter)', () => {
  it('tool.allowed and tool.denied name rule, source, layer and action in the chained file', async () => {
    const contract = path.join(P, 'prov.aex');
    const source = 'task prov v0\ngoal "provenance"\nuse noop\n\ndo noop(i=1)\ndo other(i=2)\nreturn "done"\n';
    writeFileSync(contract, source);
    const { ir, diagnostics } = compileSource(source, { path: contract });
    if (!ir) throw new Error(diagnostics.map((d) => d.message).join('; '));
    const file = path.join(s.dir, 'run.jsonl');
    const audit = createAuditLog([new JsonlFileSink(file)], { sealKey: KEY });
    await runIR(ir, { tools: { noop: async () => null, other: async () => null }, builtins: false, audit, cwd: P });
    await audit.close();
    const [allowed, denied] = decisions(file);
    expect(allowed).toMatchObject({ event: 'tool.allowed', tool: 'noop', rule: 'use noop', source: 'prov.aex:3', layer: 'task', action: { cap: 'noop' } });
    expect(denied).toMatchObject({ event: 'tool.denied', tool: 'other', reason: 'not_allowed', layer: 'task', action: { cap: 'other' } });
    expect(verifyAuditFile(file, { key: KEY })).toMatchObject({ ok: true });
  });
});

describe('aex gate (Claude Code)', () => {
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    writeFileSync(
      path.join(P, '.aex', 'policy.aex'),
      ['policy prov v1', 'goal "provenance"', 'allow file.read:./**, shell.exec:"git *", shell.exec:"wc *"', 'deny shell.exec:"rm *"', 'confirm before shell.exec:"git tag *"', ''].join('\n'),
    );
    env = { ...process.env, AEX_STATE_DIR: path.join(s.dir, 'state'), CLAUDE_PROJECT_DIR: P };
    delete env.CLAUDE_CODE_ENTRYPOINT;
  });
  const hook = (command: string) => JSON.stringify({ session_id: 'prov-1', cwd: P, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 't', permission_mode: 'default' });

  it('deny, confirm and a compound allow keep their provenance; the session log verifies', async () => {
    for (const c of ['rm -rf build', 'git tag v1', 'git log | wc -l']) expect((await runGate(parseGateArgs([]), hook(c), s.dir, env)).exitCode).toBe(0);
    const file = path.join(projectStateDirectory(P, env), 'audit', 'gate-prov-1.jsonl');
    const [denied, confirm, allowed] = decisions(file);
    expect(denied).toMatchObject({ event: 'tool.denied', reason: 'denied', rule: 'deny shell.exec:"rm *"', source: '.aex/policy.aex:4', layer: 'policy', action: { cap: 'shell.exec', command: 'rm -rf build' } });
    expect(confirm).toMatchObject({ event: 'confirm.required', rule: 'confirm before shell.exec:"git tag *"', source: '.aex/policy.aex:5', layer: 'policy' });
    expect(allowed).toMatchObject({ event: 'tool.allowed', hook_tool: 'Bash' });
    const actions = allowed!.actions as Array<Record<string, unknown>>;
    expect(actions.map((a) => a.rule)).toEqual(['allow shell.exec:"git *"', 'allow shell.exec:"wc *"']);
    expect(verifyAuditFile(file).ok).toBe(true);

    // The timeline a person reads names the same rules.
    const out: string[] = [];
    await auditShow([file], {}, { out: (t) => void out.push(t), err: () => undefined, colour: false });
    const text = out.join('');
    expect(text).toMatch(/deny +shell\.exec rm -rf build +deny shell\.exec:"rm \*" +\.aex\/policy\.aex:4/);
    expect(text).toMatch(/· shell\.exec wc -l +allow shell\.exec:"wc \*"/);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });
});

describe('aex gate --audit-key-file', () => {
  it('seals every append with the key, protects the key file, and blocks when the key cannot be read', async () => {
    const keyFile = path.join(s.dir, 'gate.key');
    writeFileSync(keyFile, KEY);
    const env: NodeJS.ProcessEnv = { ...process.env, AEX_STATE_DIR: path.join(s.dir, 'state-keyed'), CLAUDE_PROJECT_DIR: P };
    delete env.CLAUDE_CODE_ENTRYPOINT;
    delete env.AEX_AUDIT_KEY_FILE;
    const hook = (tool_name: string, tool_input: Record<string, unknown>) => JSON.stringify({ session_id: 'keyed-1', cwd: P, hook_event_name: 'PreToolUse', tool_name, tool_input });
    const args = parseGateArgs(['--audit-key-file', keyFile]);
    await runGate(args, hook('Read', { file_path: path.join(P, 'prov.aex') }), s.dir, env);
    const write = await runGate(args, hook('Write', { file_path: keyFile, content: 'forged' }), s.dir, env);
    expect(write.stdout).toContain('deny');
    const file = path.join(projectStateDirectory(P, env), 'audit', 'gate-keyed-1.jsonl');
    expect(verifyAuditFile(file, { key: KEY, chainId: 'keyed-1' })).toMatchObject({ ok: true, seals: 2 });
    const denied = decisions(file).find((e) => e.event === 'tool.denied');
    expect(denied).toMatchObject({ reason: 'protected', layer: 'protected' });
    const missing = await runGate(parseGateArgs(['--audit-key-file', path.join(s.dir, 'nope.key')]), hook('Read', { file_path: path.join(P, 'prov.aex') }), s.dir, env);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('nope.key');
  });
});
