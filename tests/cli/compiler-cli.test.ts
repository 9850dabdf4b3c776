import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aexInProcess as run } from '../helpers/in-process-cli.js';
import { aex, tempDir } from './helpers.js';

// The first case of each command and the version and help spawn the CLI (bin/aex.js runs
// check, compile and fmt from their bundles); the others run it in-process
// (tests/helpers/in-process-cli.ts: the same entry functions, unbundled).

const GOOD = 'task good v0\ngoal "g"\nuse echo\ndo echo(msg="hi") -> out\nreturn out\n';
const BAD = 'task bad v0\ngoal "g"\nuse echo\ndo shell.exec(cmd="rm")\nreturn 1\n';

function project(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return dir;
}

describe('aex check', () => {
  it('checks every file given and fails if any has an error (spawned)', () => {
    const dir = project({ 'good.aex': GOOD, 'bad.aex': BAD });
    const r = aex(['check', 'good.aex', 'bad.aex'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.aex:4:1: error AEX010: tool "shell.exec" is not requested by any `use` rule');
    expect(r.stderr).toContain('  do shell.exec(cmd="rm")\n  ^');
    expect(r.stdout).toContain('1 of 2 files failed');
  });

  it('searches directories recursively and passes valid trees', async () => {
    const dir = project({ 'tasks/a.aex': GOOD, 'tasks/nested/b.aex': GOOD, 'tasks/readme.txt': 'x' });
    const r = await run(['check', 'tasks'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ 2 files valid');
  });

  it('prints the diagnostic objects with --json', async () => {
    const dir = project({ 'bad.aex': BAD });
    const r = await run(['check', '--json', 'bad.aex'], { cwd: dir });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.file).toBe('bad.aex');
    expect(out.valid).toBe(false);
    expect(out.diagnostics.find((d: { code: string }) => d.code === 'AEX010')).toMatchObject({ code: 'AEX010', severity: 'error', line: 4, column: 1, file: 'bad.aex' });
  });

  it('keeps warnings from failing unless --strict', async () => {
    const dir = project({ 'w.aex': 'agent w v0\ngoal "g"\nreturn 1\n' });
    expect((await run(['check', 'w.aex'], { cwd: dir })).code).toBe(0);
    const strict = await run(['check', '--strict', 'w.aex'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('warning AEX005');
  });

  it('applies a policy with --policy (AEX015)', async () => {
    const dir = project({
      'policy.json': JSON.stringify({ allow: ['file.read'] }),
      't.aex': 'task t v0\ngoal "g"\nuse file.read, file.write\ndo file.read()\ndo file.write()\nreturn 1\n',
    });
    const r = await run(['check', '--policy', 'policy.json', 't.aex'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/t\.aex:3:16: error AEX015/);
  });

  it.each([
    ['a missing file', ['check', 'nope.aex'], /^error nope\.aex: no such file or directory\n$/],
    ['a directory without .aex files', ['check', 'empty'], /^error empty: directory contains no \.aex files\n$/],
    ['a binary file', ['check', 'bin.aex'], /^error bin\.aex: not a text file \(it contains NUL bytes\)\n$/],
    ['invalid UTF-8', ['check', 'latin1.aex'], /^error latin1\.aex: not a UTF-8 text file\n$/],
    ['a directory given to compile', ['compile', 'empty'], /^error empty: it is a directory, not a regular file\n$/],
    ['no arguments', ['check'], /^error check needs at least one FILE or DIR\n$/],
    ['an unknown command', ['frobnicate'], /^error unknown command "frobnicate"/],
    ['an unknown option', ['check', '--frob', 'x.aex'], /^error Unknown option `--frob`\n$/],
  ])('refuses %s with a one-line error and exit 1', async (_name, args, message) => {
    const dir = project({ 'bin.aex': Buffer.from([0x74, 0x00, 0x01, 0xff]), 'latin1.aex': Buffer.from([0x74, 0x61, 0x73, 0x6b, 0xe9]) });
    mkdirSync(join(dir, 'empty'));
    const r = await run(args, { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('aex compile', () => {
  it('prints IR v1 that names its source and hash (spawned)', () => {
    const dir = project({ 'good.aex': GOOD });
    const r = aex(['compile', 'good.aex'], { cwd: dir });
    expect(r.code).toBe(0);
    const ir = JSON.parse(r.stdout);
    expect(ir).toMatchObject({ irVersion: 'aex-ir/1', kind: 'task', name: 'good', version: '0', source: { path: 'good.aex' } });
    expect(ir.source.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a file with errors: exit 1 and nothing on stdout', async () => {
    const dir = project({ 'bad.aex': BAD });
    const r = await run(['compile', 'bad.aex'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('AEX010');
  });

  it('writes -o atomically and emits the legacy shape with --ir v0', async () => {
    const dir = project({ 'good.aex': GOOD });
    expect((await run(['compile', 'good.aex', '-o', 'out.json'], { cwd: dir })).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).irVersion).toBe('aex-ir/1');
    const v0 = JSON.parse((await run(['compile', 'good.aex', '--ir', 'v0'], { cwd: dir })).stdout);
    expect(v0).toMatchObject({ agent: 'good', version: '0', permissions: { use: ['echo'], deny: [] } });
    expect(v0.type).toBeUndefined();
    expect(v0.steps[0]).toEqual({ op: 'call', tool: 'echo', args: { msg: '"hi"' }, bind: 'out' });
  });
});

describe('aex parse', () => {
  it('prints the syntax tree, and refuses broken files unless --tolerant (the first spawned)', async () => {
    const dir = project({ 'good.aex': GOOD, 'broken.aex': 'task b v0\ngoal "g\n' });
    const ok = aex(['parse', 'good.aex'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).body[0]).toMatchObject({ type: 'header', keyword: 'task', name: 'good' });
    expect((await run(['parse', 'broken.aex'], { cwd: dir })).code).toBe(1);
    expect((await run(['parse', '--tolerant', 'broken.aex'], { cwd: dir })).code).toBe(0);
  });
});

describe('aex fmt', () => {
  it('rewrites files in place, and --check lists what is not formatted (the write spawned)', async () => {
    const dir = project({ 'a.aex': 'task a v0\ngoal "g"\nreturn 1\n', 'b.aex': 'task b v0\n\ngoal "g"\n\nreturn 1\n' });
    const check = await run(['fmt', '--check', 'a.aex', 'b.aex'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stderr).toBe('a.aex: not formatted\n');
    expect(readFileSync(join(dir, 'a.aex'), 'utf8')).toBe('task a v0\ngoal "g"\nreturn 1\n');
    const write = aex(['fmt', 'a.aex', 'b.aex'], { cwd: dir });
    expect(write.code).toBe(0);
    expect(write.stdout).toBe('formatted a.aex\n');
    expect(readFileSync(join(dir, 'a.aex'), 'utf8')).toBe('task a v0\n\ngoal "g"\n\nreturn 1\n');
    expect((await run(['fmt', '--check', '.'], { cwd: dir })).code).toBe(0);
  });

  it('leaves a file with syntax errors untouched and leaves no temp files', async () => {
    const broken = 'task b v0\ngoal  "g\nreturn 1\n';
    const dir = project({ 'b.aex': broken });
    const r = await run(['fmt', 'b.aex'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('AEX102');
    expect(readFileSync(join(dir, 'b.aex'), 'utf8')).toBe(broken);
    expect(existsSync(join(dir, '.b.aex.tmp'))).toBe(false);
  });

  it('formats semantic errors (they do not block formatting)', async () => {
    const dir = project({ 'bad.aex': 'task bad v0\ngoal "g"\nuse echo\ndo shell.exec(cmd="rm")\nreturn 1\n' });
    expect((await run(['fmt', 'bad.aex'], { cwd: dir })).code).toBe(0);
  });
});

describe('aex --version and help', () => {
  it('prints the version and the command list (spawned)', () => {
    expect(aex(['--version']).stdout).toMatch(/0\.1\.0/);
    const help = aex(['help']);
    expect(help.code).toBe(0);
    for (const c of ['check', 'compile', 'parse', 'fmt']) expect(help.stdout).toContain(c);
  });
});

describe('the shipped examples', () => {
  it('are valid and in canonical layout', async () => {
    const check = await run(['check', '--strict', 'examples']);
    expect(check.code, check.stderr).toBe(0);
    const fmt = await run(['fmt', '--check', 'examples']);
    expect(fmt.code, fmt.stderr).toBe(0);
  });
});
