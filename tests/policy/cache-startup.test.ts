import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../tools/helpers.js';

// ARCHITECTURE principle 6: on a cache hit the gate must not load the compiler or ajv.
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
});
