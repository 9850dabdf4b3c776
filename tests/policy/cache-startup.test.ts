import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../tools/helpers.js';

// docs/design.md#surfaces: on a cache hit the gate must not load the compiler or ajv.
// Runs the built module (dist/) in a child process with a resolve hook that records
// every module specifier that gets imported.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LOAD = path.join(ROOT, 'dist/runtime/policy/load.js');
const fixtures = fileURLToPath(new URL('../fixtures/policies/', import.meta.url));

describe('loadPolicyLayerCached start-up cost', () => {
  it('imports neither the compiler nor ajv on a cache hit', () => {
    expect(existsSync(LOAD), 'dist/ is missing: npm test builds it first').toBe(true);
    const dir = tmpDir('aex-cache-');
    mkdirSync(path.join(dir, '.aex'));
    copyFileSync(path.join(fixtures, 'workspace.policy.aex'), path.join(dir, '.aex/policy.aex'));
    writeFileSync(
      path.join(dir, 'hooks.mjs'),
      'export async function resolve(s, c, next) { if (/ajv|compiler\\/index/.test(s)) process.stderr.write("LOADED " + s + "\\n"); return next(s, c); }\n',
    );
    writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});\n`);
    const script = `const m = await import(${JSON.stringify(pathToFileURL(LOAD).href)});\nconst l = await m.loadPolicyLayerCached('.aex/policy.aex', '.aex/cache');\nconsole.log(JSON.stringify(l.allow.map((r) => r.tool)));\n`;
    writeFileSync(path.join(dir, 'main.mjs'), script);
    const run = () => spawnSync(process.execPath, ['--import', './register.mjs', 'main.mjs'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    const miss = run();
    expect(miss.status).toBe(0);
    expect(miss.stderr).toMatch(/LOADED .*compiler\/index/);
    const hit = run();
    expect(hit.status).toBe(0);
    expect(JSON.parse(hit.stdout)).toEqual(['file.read', 'file.write', 'tests.run', 'git.*']);
    expect(hit.stderr).not.toMatch(/LOADED/);
  });

  it('an AEX 2 layer (qualifiers, where, shells, root) comes back whole from the cache without the compiler', () => {
    expect(existsSync(LOAD), 'dist/ is missing: npm test builds it first').toBe(true);
    const dir = tmpDir('aex-cache-');
    mkdirSync(path.join(dir, '.aex'));
    writeFileSync(
      path.join(dir, '.aex/policy.aex'),
      'policy v2 v0\ngoal "g"\nallow shell.exec:"git status", mcp.s.t where a in ["x"]\ndeny shell.exec:"rm -rf *"\nshell mcp.s.run\n',
    );
    writeFileSync(
      path.join(dir, 'hooks.mjs'),
      'export async function resolve(s, c, next) { if (/ajv|compiler\\/index/.test(s)) process.stderr.write("LOADED " + s + "\\n"); return next(s, c); }\n',
    );
    writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});\n`);
    const script = `const m = await import(${JSON.stringify(pathToFileURL(LOAD).href)});\nconst l = await m.loadPolicyLayerCached('.aex/policy.aex', '.aex/cache');\nconsole.log(JSON.stringify({ allow: l.allow.map(({ origin, source, ...r }) => r), deny: l.deny[0].command, shells: l.shells, root: l.root, line: l.deny[0].source.line }));\n`;
    writeFileSync(path.join(dir, 'main.mjs'), script);
    const run = () => spawnSync(process.execPath, ['--import', './register.mjs', 'main.mjs'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    const miss = run();
    expect(miss.status, miss.stderr).toBe(0);
    const hit = run();
    expect(hit.status).toBe(0);
    expect(hit.stderr).not.toMatch(/LOADED/);
    expect(JSON.parse(hit.stdout)).toEqual(JSON.parse(miss.stdout));
    expect(JSON.parse(hit.stdout)).toEqual({
      allow: [
        { tool: 'shell.exec', command: 'git status', keyword: 'allow' },
        { tool: 'mcp.s.t', where: [{ arg: ['a'], op: 'in', value: ['x'] }], keyword: 'allow' },
      ],
      deny: 'rm -rf *',
      shells: ['mcp.s.run'],
      root: dir,
      line: 4,
    });
  });
});
