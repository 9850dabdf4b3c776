import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN } from './helpers.js';

// The gate runs once per agent tool call: on a warm cache it must load only the kernel
// and the policy loader. A module-resolution hook records every module the process loads.
let D: string;
beforeAll(() => {
  D = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gate-startup-')));
  mkdirSync(path.join(D, '.aex'));
  writeFileSync(path.join(D, '.aex', 'policy.aex'), 'policy workspace v0\ngoal "Boundary."\nallow file.read\ndeny network.*\n');
  writeFileSync(
    path.join(D, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(path.join(D, 'loaded.txt'))}, r.url + '\\n');
  return r;
}
`,
  );
  writeFileSync(
    path.join(D, 'register.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify('file://' + path.join(D, 'hooks.mjs'))});\n`,
  );
});
afterAll(() => rmSync(D, { recursive: true, force: true }));

describe('aex gate start-up', () => {
  it('loads no LangGraph, LangChain, MCP SDK, cac, ajv or compiler when the policy is cached', () => {
    const input = JSON.stringify({ session_id: 's', cwd: D, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: `${D}/a.txt` } });
    const run = () => spawnSync(process.execPath, ['--import', path.join(D, 'register.mjs'), BIN, 'gate'], { input, cwd: D, encoding: 'utf8', timeout: 20_000 });
    const first = run(); // cache miss: compiles the policy
    expect(first.status).toBe(0);
    rmSync(path.join(D, 'loaded.txt'));
    const second = run();
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout).hookSpecificOutput.permissionDecision).toBe('allow');
    const loaded = readFileSync(path.join(D, 'loaded.txt'), 'utf8').trim().split('\n');
    const ours = loaded.filter((u) => u.includes('/dist/')).map((u) => u.slice(u.indexOf('/dist/') + 6));
    // The build bundles the gate path (kernel + policy loader) into one module.
    expect(ours).toContain('adapters/claude-code/gate.bundle.js');
    for (const u of loaded) {
      expect(u).not.toMatch(/@langchain|@modelcontextprotocol|\/cac\/|\/ajv\/|\/zod\//);
      expect(u).not.toMatch(/\/dist\/(compiler|cli|backends|ir\/validate)/);
    }
  });
});
