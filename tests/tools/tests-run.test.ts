import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testsArgv, testsRun } from '../../src/runtime/tools/tests-run.js';
import { tmpDir } from './helpers.js';

const node = process.execPath;

describe('tests.run command parsing', () => {
  it('splits strings on spaces and tabs, no quoting', () => {
    expect(testsArgv('npm  test\t-- --watch=false')).toEqual(['npm', 'test', '--', '--watch=false']);
    expect(testsArgv('echo "a b"')).toEqual(['echo', '"a', 'b"']);
    expect(testsArgv(undefined)).toEqual(['npm', 'test']);
    expect(testsArgv(42)).toEqual(['npm', 'test']);
  });

  it.each(['npm test; rm -rf x', 'npm test && id', 'npm test | cat', 'echo `id`', 'echo $(id)', 'echo $HOME', 'npm test\nid', 'npm test\rid', 'a > b', 'a < b', 'a & b', '!x'])(
    'refuses shell syntax: %j',
    (cmd) => {
      expect(() => testsArgv(cmd)).toThrow(/refused/);
    },
  );

  it('argv arrays are used verbatim; bad arrays are refused', () => {
    expect(testsArgv(['echo', 'a; b', '$(id)'])).toEqual(['echo', 'a; b', '$(id)']);
    expect(() => testsArgv([])).toThrow();
    expect(() => testsArgv(['echo', 3])).toThrow();
    expect(() => testsArgv(['echo', 'a\0'])).toThrow(/NUL/);
  });
});

describe('tests.run execution', () => {
  const saved = process.env.AEX_TESTS_TIMEOUT_MS;
  afterEach(() => {
    if (saved === undefined) delete process.env.AEX_TESTS_TIMEOUT_MS;
    else process.env.AEX_TESTS_TIMEOUT_MS = saved;
  });

  it('runs argv without a shell in the root', async () => {
    const root = tmpDir();
    const r = await testsRun({ cmd: [node, '-e', 'console.log(process.cwd()); console.log(process.argv[1])', 'a; touch pwned $(id)'] }, { cwd: root });
    expect(r).toMatchObject({ passed: true, exitCode: 0 });
    expect(r.stdout).toBe(`${root}\na; touch pwned $(id)\n`);
    expect(existsSync(path.join(root, 'pwned'))).toBe(false);
  });

  it('non-zero exit and missing executables are passed:false, not failures', async () => {
    const root = tmpDir();
    writeFileSync(path.join(root, 'fail.js'), 'process.stderr.write("boom"); process.exit(3)');
    expect(await testsRun({ cmd: `${node} fail.js` }, { cwd: root })).toEqual({ passed: false, exitCode: 3, stdout: '', stderr: 'boom' });
    const missing = await testsRun({ cmd: ['definitely-not-a-real-binary-aex'] }, { cwd: root });
    expect(missing).toMatchObject({ passed: false, exitCode: 1 });
  });

  it('refused commands throw before anything runs', async () => {
    const root = tmpDir();
    await expect(testsRun({ cmd: 'touch x; touch y' }, { cwd: root })).rejects.toThrow(/refused/);
    expect(existsSync(path.join(root, 'x'))).toBe(false);
  });

  it('a timeout kills the whole process group', async () => {
    const root = tmpDir();
    process.env.AEX_TESTS_TIMEOUT_MS = '1000';
    // The child spawns a grandchild that would write a marker 1.2 s after it starts.
    const marker = path.join(root, 'grandchild-survived');
    writeFileSync(path.join(root, 'grandchild.cjs'), `setTimeout(() => require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'), 1200);`);
    const script = `
      const { spawn } = require('node:child_process');
      spawn(process.execPath, ['grandchild.cjs'], { stdio: 'ignore' });
      console.log('started');
      setTimeout(() => {}, 60000);
    `;
    writeFileSync(path.join(root, 'slow.cjs'), script);
    const t0 = Date.now();
    const r = await testsRun({ cmd: [node, 'slow.cjs'] }, { cwd: root });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r).toMatchObject({ passed: false, exitCode: null, timedOut: true });
    expect(r.stdout).toContain('started');
    // the grandchild started before the kill; had it survived it would have written by now
    await new Promise((res) => setTimeout(res, 600));
    expect(existsSync(marker)).toBe(false);
  });

  it('caps output at 10 MB and reports passed:false', async () => {
    const root = tmpDir();
    const r = await testsRun({ cmd: [node, '-e', "process.stdout.write('x'.repeat(11 * 1024 * 1024))"] }, { cwd: root });
    expect(r.passed).toBe(false);
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBe(10 * 1024 * 1024);
  });

  it('an abort signal kills the run', async () => {
    const root = tmpDir();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const r = await testsRun({ cmd: [node, '-e', 'setTimeout(() => {}, 60000)'] }, { cwd: root, signal: ac.signal });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.passed).toBe(false);
    expect(r.exitCode).toBeNull();
  });
});

describe('tests.run with a lingering grandchild', () => {
  it('reports when the command exits even if a background process holds the pipes', async () => {
    const root = tmpDir();
    writeFileSync(
      path.join(root, 'bg.cjs'),
      "require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'inherit' }).unref(); console.log('done');",
    );
    const t0 = Date.now();
    const r = await testsRun({ cmd: [node, 'bg.cjs'] }, { cwd: root }, { drainMs: 100 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r).toMatchObject({ passed: true, exitCode: 0 });
    expect(r.stdout).toBe('done\n');
  });
});
