// The in-process runner must show what a spawned CLI shows, and leave the test process as it
// found it: otherwise every test moved onto it would pass or fail for the wrong reason.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AEX, aex, tempDir } from '../cli/helpers.js';
import { aexInProcess } from './in-process-cli.js';

describe('aexInProcess gives what the spawned CLI gives', () => {
  const dir = tempDir('aex-inproc-');
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'broken.aex'), 'policy p v1\nallow\n');
  writeFileSync(join(dir, 'ok.aex'), 'policy p v1\ngoal "g"\nallow echo\n');
  writeFileSync(join(dir, 'echo.aex'), 'task t v0\ngoal "g"\nneed x: str\nreturn x\n');

  // One spawned run per line: the lines cover the full CLI (help, version, an unknown command,
  // a usage error, an AexError), the check and compile entries, and a numeric-looking option
  // value that only the raw argv keeps verbatim, and a run whose events the audit's stderr
  // sink writes with fs.writeSync(2).
  const lines: string[][] = [
    ['--version'],
    ['help', 'verify'],
    ['no-such-command'],
    ['sign', 'x.aex', '--bogus'],
    ['verify', 'missing.aex', '--key', '0123'],
    ['check', 'broken.aex'],
    ['check', 'ok.aex', '--json'],
    ['fmt', 'broken.aex'],
    ['run', 'echo.aex', '--input', 'x=007'],
  ];
  for (const args of lines) {
    it(`aex ${args.join(' ')}`, async () => {
      const spawned = aex(args, { cwd: dir });
      const inProcess = await aexInProcess(args, { cwd: dir });
      expect(inProcess).toEqual(spawned);
    });
  }
});

describe('aexInProcess leaves the process as it found it', () => {
  it('restores cwd, argv, environment, exit code, stdio and console, also when the command fails', async () => {
    const before = {
      cwd: process.cwd(),
      argv: process.argv,
      exitCode: process.exitCode,
      write: process.stdout.write,
      errWrite: process.stderr.write,
      stdin: process.stdin,
      log: console.log,
      exit: process.exit,
      home: process.env.HOME,
      noColor: process.env.NO_COLOR,
    };
    process.env.AEX_INPROC_PROBE = 'kept';
    try {
      const dir = tempDir('aex-inproc-');
      const r = await aexInProcess(['verify', 'nope.aex', '--key', 'k'], { cwd: dir, env: { HOME: dir, AEX_INPROC_PROBE: undefined } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error cannot read signature file /);
      expect(process.cwd()).toBe(before.cwd);
      expect(process.argv).toBe(before.argv);
      expect(process.exitCode).toBe(before.exitCode);
      expect(process.stdout.write).toBe(before.write);
      expect(process.stderr.write).toBe(before.errWrite);
      expect(process.stdin).toBe(before.stdin);
      expect(console.log).toBe(before.log);
      expect(process.exit).toBe(before.exit);
      expect(process.env.HOME).toBe(before.home);
      expect(process.env.AEX_INPROC_PROBE).toBe('kept');
      expect(process.env.NO_COLOR).toBe(before.noColor);
    } finally {
      delete process.env.AEX_INPROC_PROBE;
    }
  });

  it('exactEnv is the whole environment of the call, and everything comes back after it', async () => {
    const dir = tempDir('aex-inproc-');
    const before = { ...process.env };
    process.env.OPENAI_API_KEY = 'inherited';
    try {
      writeFileSync(join(dir, 't.aex'), 'task drafty v0\ngoal "Draft."\nneed topic: str\n\nmake d: text from topic with:\n  - write\nreturn d\n');
      const args = ['run', 't.aex', '--input', 'topic=x', '--model', 'openai'];
      const exact = { PATH: process.env.PATH, HOME: process.env.HOME };
      // Without the inherited key the run stops at the model set-up, as a spawn with that environment does.
      const here = await aexInProcess(args, { cwd: dir, exactEnv: exact });
      expect(here.stderr).toContain('error OPENAI_API_KEY is not set');
      const spawned = spawnSync(process.execPath, [AEX, ...args], { cwd: dir, env: exact, encoding: 'utf8', input: '' });
      expect(here).toEqual({ code: spawned.status, stdout: spawned.stdout, stderr: spawned.stderr });
      expect(process.env.OPENAI_API_KEY).toBe('inherited');
      await expect(aexInProcess(['--version'], { env: {}, exactEnv: {} })).rejects.toThrow(/not both/);
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
    expect(process.env).toEqual(before);
  });

  it('sees the given cwd and environment during the call, and only then', async () => {
    const dir = tempDir('aex-inproc-');
    writeFileSync(join(dir, 'f.aex'), 'task t v0\ngoal "g"\nuse echo\ndo echo(msg="hi") -> out\nreturn out\n');
    // A relative path resolves against the given cwd; the repository id comes from the argv text.
    const r = await aexInProcess(['sign', 'f.aex', '--id', '007', '--key', '0123', '--repo-id', 'team/x'], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: `signed ${join(dir, 'f.aex')} -> ${join(dir, 'f.aex')}.signature.json\n`, stderr: '' });
    const v = await aexInProcess(['verify', 'f.aex', '--key', '0123', '--id', '007', '--repo-id', 'team/x'], { cwd: dir });
    expect(v.code).toBe(0);
    expect(process.cwd()).not.toBe(dir);
  });

  it('runs calls one at a time: two started together keep their own output and exit code', async () => {
    const dir = tempDir('aex-inproc-');
    const [a, b] = await Promise.all([aexInProcess(['no-such-command'], { cwd: dir }), aexInProcess(['--version'], { cwd: dir })]);
    expect(a.code).toBe(1);
    expect(a.stdout).toBe('');
    expect(a.stderr).toMatch(/^error unknown command "no-such-command"/);
    expect(b.code).toBe(0);
    expect(b.stderr).toBe('');
    expect(b.stdout).toMatch(/^aex\/\d+\.\d+\.\d+/);
  });

  it('refuses aex gate (it has its own in-process seam) and leaves nothing patched', async () => {
    const write = process.stdout.write;
    await expect(aexInProcess(['gate'])).rejects.toThrow(/does not run `aex gate`/);
    expect(process.stdout.write).toBe(write);
    // The runner still works after a refusal.
    expect((await aexInProcess(['--version'])).code).toBe(0);
  });
});
