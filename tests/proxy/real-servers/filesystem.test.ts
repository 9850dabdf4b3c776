// server-filesystem behind the proxy, with the SDK client over stdio (in-process proxy,
// one server for the whole file): listing, calls, refusals, and every spelling of a
// path an agent could use to reach a denied file (relative, `..`, a symlink, `~`).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { prepareProxy } from '../../../src/adapters/mcp/main.js';
import { runProxy } from '../../../src/adapters/mcp/proxy.js';
import { StreamPairTransport } from '../http/stream-client.js';

const FS = path.resolve('node_modules/.bin/mcp-server-filesystem');
let D: string;
let client: Client;
let exit: Promise<number>;
let stderr = '';

const text = (r: unknown) => JSON.stringify((r as { content?: unknown }).content ?? r);

beforeAll(async () => {
  D = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-fs-')));
  mkdirSync(path.join(D, 'data', 'secret'), { recursive: true });
  writeFileSync(path.join(D, 'data', 'hello.txt'), 'hello');
  writeFileSync(path.join(D, 'data', 'secret', 'key.txt'), 'KEY');
  symlinkSync(path.join(D, 'data', 'secret'), path.join(D, 'data', 'link'));
  mkdirSync(path.join(D, '.aex'));
  writeFileSync(
    path.join(D, '.aex', 'policy.aex'),
    [
      'policy p v0',
      'goal "fs"',
      'allow mcp.fs.read_text_file:./data/**, mcp.fs.list_directory:./data/**, mcp.fs.write_file:./data/**',
      'deny mcp.fs.read_text_file:./data/secret/**',
      'confirm before mcp.fs.write_file',
      '',
    ].join('\n'),
  );
  const setup = await prepareProxy([FS, path.join(D, 'data')], { name: 'fs' }, D);
  const pair = new StreamPairTransport();
  const err = new PassThrough();
  err.on('data', (c) => (stderr += c));
  exit = runProxy({ ...setup, grace: { termAfterMs: 100, killAfterMs: 200 } }, { stdin: pair.toProxy, stdout: pair.fromProxy, stderr: err });
  client = new Client({ name: 'fs-test', version: '1' });
  await client.connect(pair as never);
}, 20_000);

afterAll(async () => {
  await client?.close();
  await exit;
  rmSync(D, { recursive: true, force: true });
});

describe('server-filesystem behind aex proxy', () => {
  it('lists only the tools the policy may allow', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(['list_directory', 'read_text_file', 'write_file']);
  });

  it('an allowed read runs', async () => {
    const r = await client.callTool({ name: 'read_text_file', arguments: { path: path.join(D, 'data', 'hello.txt') } });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toContain('hello');
  });

  it.each([
    ['absolute', () => path.join(D, 'data', 'secret', 'key.txt')],
    ['relative to the project', () => 'data/secret/key.txt'],
    ['with ..', () => path.join(D, 'data', 'x', '..', 'secret', 'key.txt')],
    ['through a symlink', () => path.join(D, 'data', 'link', 'key.txt')],
    ['outside the allowed folder', () => '/etc/passwd'],
    ['through ~', () => '~/../../etc/passwd'],
  ])('a denied file is refused when spelled %s', async (_how, p) => {
    const r = await client.callTool({ name: 'read_text_file', arguments: { path: p() } });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('AEX:');
    expect(text(r)).not.toContain('KEY');
  });

  it('a confirm-before write is refused when the client cannot be asked, and costs nothing', async () => {
    const r = await client.callTool({ name: 'write_file', arguments: { path: path.join(D, 'data', 'new.txt'), content: 'x' } });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/confirm/i);
  });
});
