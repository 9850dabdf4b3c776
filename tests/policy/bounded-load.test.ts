// Every file AEX loads to decide with is read by one bounded reader: a device, a FIFO, a
// socket, a directory or a file over 1 MiB is refused with the file and the reason —
// never a hang, never a read without end. In process for every loader, then each kind
// once through the CLI.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoundedText, BoundedReadError, MAX_LOADED_FILE_BYTES } from '../../src/io/bounded-read.js';
import { loadPolicyFile, loadTaskFile, PolicyError } from '../../src/runtime/policy/load.js';
import { readInputsFile } from '../../src/runtime/inputs.js';
import { resolveKey } from '../../src/authoring/signature.js';
import { readSourceFile } from '../../src/cli/files.js';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'aex.js');
let D: string;
let FIFO: string;
let BIG: string;
let DIR: string;
let SOCK: string;
let server: ReturnType<typeof createServer>;

beforeAll(async () => {
  D = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-bounded-')));
  FIFO = path.join(D, 'pipe.aex');
  execFileSync('mkfifo', [FIFO]);
  BIG = path.join(D, 'big.aex');
  writeFileSync(BIG, Buffer.alloc(2 * 1024 * 1024, 0x61));
  DIR = path.join(D, 'folder.aex');
  mkdirSync(DIR);
  SOCK = path.join(D, 'sock.aex');
  server = createServer();
  await new Promise<void>((r) => server.listen(SOCK, r));
});
afterAll(() => {
  server.close();
  rmSync(D, { recursive: true, force: true });
});

const kinds = () => [
  ['/dev/zero', /character device/],
  [FIFO, /FIFO/],
  [DIR, /directory/],
  [SOCK, /FIFO \(named pipe\) or socket|socket/],
  [BIG, /2\.0 MiB, over the 1\.0 MiB limit/],
] as Array<[string, RegExp]>;

describe('readBoundedText', () => {
  it('refuses each kind with the file and the reason', () => {
    for (const [file, why] of kinds()) {
      let err: unknown;
      try {
        readBoundedText(file, { what: 'policy' });
      } catch (e) {
        err = e;
      }
      expect(err, file).toBeInstanceOf(BoundedReadError);
      expect((err as Error).message, file).toContain(file);
      expect((err as Error).message, file).toMatch(why);
    }
  });

  it('reads a regular file up to the limit, and /proc files that report size 0 up to the limit', () => {
    const ok = path.join(D, 'ok.txt');
    writeFileSync(ok, Buffer.alloc(MAX_LOADED_FILE_BYTES, 0x62));
    expect(readBoundedText(ok, { what: 'x' })).toHaveLength(MAX_LOADED_FILE_BYTES);
    expect(readBoundedText('/proc/self/status', { what: 'x' })).toMatch(/Name:/);
    expect(() => readBoundedText(ok, { what: 'key file', maxBytes: 100 })).toThrow(/over the 100 bytes limit/);
  });
});

describe('every loader uses it', () => {
  it('policy files and each extends target (JSON and .aex), as AEX131 diagnostics', async () => {
    for (const [file, why] of kinds()) {
      await expect(loadPolicyFile(file), file).rejects.toThrow(why);
      const top = path.join(D, 'top.json');
      writeFileSync(top, JSON.stringify({ extends: file, allow: ['file.read'] }));
      const err = await loadPolicyFile(top).catch((e: unknown) => e);
      expect(err, file).toBeInstanceOf(PolicyError);
      expect((err as Error).message, file).toMatch(new RegExp(`cannot read policy .*\\(extended from ${top.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
      expect((err as PolicyError).diagnostics[0]).toMatchObject({ code: 'AEX131', severity: 'error' });
    }
  });

  it('contracts, inputs files, key files and CLI source files', async () => {
    for (const [file, why] of kinds()) {
      await expect(loadTaskFile(file), file).rejects.toThrow(why);
      expect(() => readInputsFile(file), file).toThrow(why);
      expect(() => resolveKey({ keyFile: file }), file).toThrow(file === BIG ? /over the 64\.0 KiB limit/ : why);
      expect(() => readSourceFile(file), file).toThrow(why);
    }
  });
});

describe('through the CLI, once each', () => {
  const aex = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: D, encoding: 'utf8', timeout: 20_000 });
  it('aex check /dev/zero and a 2 MiB file; aex run a FIFO and a directory; aex run --inputs FIFO', () => {
    const zero = aex(['check', '/dev/zero']);
    expect(zero.status).toBe(1);
    expect(zero.stderr).toMatch(/\/dev\/zero: it is a character device, not a regular file/);
    const big = aex(['check', BIG]);
    expect(big.status).toBe(1);
    expect(big.stderr).toMatch(/big\.aex: it is 2\.0 MiB, over the 1\.0 MiB limit/);
    const fifo = aex(['run', FIFO]);
    expect(fifo.status).toBe(1);
    expect(fifo.stderr).toMatch(/cannot read source file .*pipe\.aex: it is a FIFO \(named pipe\), not a regular file/);
    const dir = aex(['run', DIR]);
    expect(dir.status).toBe(1);
    expect(dir.stderr).toMatch(/folder\.aex: it is a directory, not a regular file/);
    writeFileSync(path.join(D, 't.aex'), 'task t v0\ngoal "g"\nneed x: str\nreturn x\n');
    const inputs = aex(['run', 't.aex', '--inputs', FIFO]);
    expect(inputs.status).toBe(1);
    expect(inputs.stderr).toMatch(/cannot read inputs file .*pipe\.aex: it is a FIFO/);
  });
});
