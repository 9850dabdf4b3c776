// Verdicts of one call on each surface the path attacks use: the built-in tools under
// the native interpreter, the Claude Code gate (runGate in-process), and `aex proxy`
// in front of a scripted MCP server (tests/attacks/fixtures/fs-server.mjs).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { compileSource } from '../../src/compiler/index.js';
import { runIR } from '../../src/runtime/interpreter.js';
import { runGate } from '../../src/gate/bundle-entry.js';
import { loadPolicyFile } from '../../src/runtime/policy/load.js';
import { MemorySink } from '../../src/runtime/audit/sinks.js';
import { gateVerdict, type Verdict } from '../bypass/surfaces.js';
import type { AttackProject } from './project.js';

export type { Verdict };

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(REPO, 'bin', 'aex.js');
export const FS_SERVER = path.join(REPO, 'tests', 'attacks', 'fixtures', 'fs-server.mjs');

/** A JSON value as AEX source: JSON escapes are AEX escapes; non-ASCII escaped too. */
export function aexValue(v: unknown): string {
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The first decision event of a run as a verdict. */
export function eventVerdict(events: ReadonlyArray<Record<string, unknown>>): Verdict {
  const first = events.find((e) => ['tool.denied', 'confirm.required', 'tool.allowed', 'budget.exhausted'].includes(String(e.event)));
  if (!first) return `error: no decision event in ${JSON.stringify(events.map((e) => e.event))}`;
  if (first.event === 'tool.allowed') return 'allow';
  if (first.event === 'confirm.required') return 'confirm';
  if (first.event === 'tool.denied') {
    if (first.reason === 'not_allowed') return 'not_allowed';
    if (first.reason === 'denied' || first.reason === 'protected') return 'deny';
  }
  return `error: ${JSON.stringify(first)}`;
}

/** A built-in call `do TOOL(ARGS)` run by the native interpreter with the built-in tools. */
export async function judgeBuiltin(p: AttackProject, tool: 'file.read' | 'file.write', args: Record<string, unknown>): Promise<Verdict> {
  const argText = Object.entries(args).map(([k, v]) => `${k}=${aexValue(v)}`).join(', ');
  const source = `task path_attack v1\ngoal "One built-in call of the path attacks."\nuse file.read, file.write\n\ndo ${tool}(${argText})\nreturn "done"\n`;
  const compiled = compileSource(source, { path: path.join(p.root, 'attack.aex') });
  if (!compiled.ok || !compiled.ir) return `error: contract does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`;
  try {
    const policy = (await loadPolicyFile(p.policy, { cwd: p.root })).layer;
    const sink = new MemorySink();
    await runIR(compiled.ir, { cwd: p.root, policy, sinks: [sink] });
    return eventVerdict(sink.events as unknown as Array<Record<string, unknown>>);
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

/** A Claude Code PreToolUse payload judged by the gate in-process. */
export async function judgeGate(p: AttackProject, toolName: string, toolInput: Record<string, unknown>): Promise<Verdict> {
  const saved = { state: process.env.AEX_STATE_DIR, project: process.env.CLAUDE_PROJECT_DIR };
  process.env.AEX_STATE_DIR = p.stateDir;
  process.env.CLAUDE_PROJECT_DIR = p.root;
  try {
    const payload = JSON.stringify({ session_id: 'attacks', cwd: p.root, hook_event_name: 'PreToolUse', tool_name: toolName, tool_input: toolInput });
    return gateVerdict(await runGate({ allowNoPolicy: false, deferAllow: false, help: false }, payload, p.root));
  } finally {
    for (const [k, v] of [['AEX_STATE_DIR', saved.state], ['CLAUDE_PROJECT_DIR', saved.project]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export interface ProxiedServer {
  call(tool: string, args: Record<string, unknown>): Promise<Verdict>;
  /** Names and arguments of the calls the server really received. */
  executed(): Promise<Array<{ name: string; args: Record<string, unknown> }>>;
  close(): Promise<void>;
}

/**
 * `aex proxy --name fs` in front of the scripted server, started in the project root
 * with `serverArgs` as its folders (the candidate bases of relative paths).
 */
export async function proxyFs(p: AttackProject, serverArgs: string[]): Promise<ProxiedServer> {
  const client = new Client({ name: 'aex-attack-client', version: '1.0.0' }, { capabilities: {} });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'proxy', '--name', 'fs', '--policy', p.policy, '--', process.execPath, FS_SERVER, ...serverArgs],
    cwd: p.root,
    stderr: 'pipe',
    env: { ...(process.env as Record<string, string>), AEX_STATE_DIR: p.stateDir },
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr += d));
  try {
    await client.connect(transport, { timeout: 15_000 });
  } catch (err) {
    throw new Error(`proxy did not start: ${(err as Error).message}; stderr: ${stderr}`);
  }
  const textOf = (r: unknown) => ((r as { content?: Array<{ text?: string }> }).content?.[0]?.text ?? '');
  return {
    async call(tool, args) {
      const r = await client.callTool({ name: tool, arguments: args });
      const text = textOf(r);
      if (!r.isError) return text === `ok ${tool}` ? 'allow' : `error: unexpected result ${text}`;
      if (text.startsWith('AEX: denied')) return 'deny';
      if (text.startsWith('AEX: no rule allows')) return 'not_allowed';
      if (text.startsWith('AEX: confirmation required')) return 'confirm';
      return `error: ${text}`;
    },
    async executed() {
      return JSON.parse(textOf(await client.callTool({ name: 'executed', arguments: {} })));
    },
    close: () => client.close().catch(() => {}),
  };
}
