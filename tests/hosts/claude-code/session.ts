// A scratch project wired with `aex init --policy --claude-code`, and one `claude -p` run in
// it against the scripted Messages API (tests/hosts/shared/anthropic-server.ts). Everything
// but the model API is switched off: telemetry, updates, error reports, nonessential traffic.
// HOME is a scratch folder too, so no setting of the person running the suite applies.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inOrder, startAnthropicServer, type AnthropicServer, type ScriptedTurn } from '../shared/anthropic-server.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const AEX = path.join(ROOT, 'bin', 'aex.js');

export interface Scratch {
  base: string;
  project: string;
  home: string;
  state: string;
  /** A PATH holding only `sh` (no aex, no node): the hook must not need either there. */
  barePath: string;
  remove(): void;
}

export function scratchProject(policyEdit: (text: string) => string = (t) => t): Scratch {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-host-cc-')));
  const project = path.join(base, 'project');
  const home = path.join(base, 'home');
  const state = path.join(base, 'state');
  const barePath = path.join(base, 'bin');
  for (const d of [project, home, state, barePath, path.join(project, 'src')]) mkdirSync(d, { recursive: true });
  symlinkSync('/bin/sh', path.join(barePath, 'sh'));
  writeFileSync(path.join(project, 'src', 'index.ts'), 'export {};\n');
  const init = spawnSync(process.execPath, [AEX, 'init', '--policy', '--claude-code'], { cwd: project, env: { ...process.env, AEX_STATE_DIR: state, HOME: home }, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`aex init failed: ${init.stderr}`);
  const policyFile = path.join(project, '.aex', 'policy.aex');
  writeFileSync(policyFile, policyEdit(readFileSync(policyFile, 'utf8')));
  return { base, project, home, state, barePath, remove: () => rmSync(base, { recursive: true, force: true }) };
}

export interface ClaudeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  server: AnthropicServer;
}

export async function runClaude(bin: string, s: Scratch, turns: readonly ScriptedTurn[], opts: { path?: string; args?: string[]; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<ClaudeRun> {
  const server = await startAnthropicServer(inOrder(turns));
  const env: NodeJS.ProcessEnv = {
    PATH: opts.path ?? process.env.PATH,
    HOME: s.home,
    AEX_STATE_DIR: s.state,
    ANTHROPIC_BASE_URL: server.url,
    ANTHROPIC_API_KEY: 'sk-ant-scripted',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_BUG_COMMAND: '1',
    ...opts.env,
  };
  try {
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(bin, ['-p', 'Do the scripted task.', '--output-format', 'json', ...(opts.args ?? [])], { cwd: s.project, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
    return { ...r, server };
  } finally {
    await server.close();
  }
}
