// tests.run ends everything its command started when the call ends, not only on a
// timeout: a background job that outlives its parent, and one that left the process
// group with setsid, must not act after the call (and so after run.finished).

import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testsRun } from '../../src/runtime/tools/tests-run.js';
import { processesWithToken } from '../../src/runtime/tools/process-tree.js';
import { tmpDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function root(): string {
  const d = tmpDir('aex-tests-tree-');
  dirs.push(d);
  return d;
}
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A shell line that touches `name` 150 ms from now, in the background. */
const lateTouch = (name: string) => `sleep 0.15; touch ${name}`;

const SHAPES: Array<[string, (m: string) => string[]]> = [
  ['a background job with its output closed', (m) => ['sh', '-c', `(${lateTouch(m)}) >/dev/null 2>&1 &`]],
  ['a background job holding the pipes', (m) => ['sh', '-c', `(${lateTouch(m)}) &`]],
  ['setsid -f (a new session, pipes held)', (m) => ['setsid', '-f', 'sh', '-c', lateTouch(m)]],
  ['setsid in the background, output closed', (m) => ['sh', '-c', `setsid sh -c '${lateTouch(m)}' >/dev/null 2>&1 &`]],
  ['a double fork under nohup', (m) => ['sh', '-c', `nohup sh -c '(${lateTouch(m)}) &' >/dev/null 2>&1`]],
];

describe('tests.run leaves nothing running', () => {
  it('the shapes are real: run directly, each writes its marker', async () => {
    const cwd = root();
    for (const [i, [, shape]] of SHAPES.entries()) {
      const [cmd, ...rest] = shape(`direct-${i}`);
      spawn(cmd!, rest, { cwd, stdio: 'ignore', detached: true }).unref();
    }
    await later(400);
    expect(SHAPES.map((_, i) => existsSync(path.join(cwd, `direct-${i}`)))).toEqual(SHAPES.map(() => true));
  });

  it.each(SHAPES)('%s is killed when the call ends', async (_name, shape) => {
    const cwd = root();
    const r = await testsRun({ cmd: shape('marker') }, { cwd }, { drainMs: 50 });
    expect(r.exitCode).toBe(0);
    await later(300);
    expect(existsSync(path.join(cwd, 'marker'))).toBe(false);
  });

  it('processesWithToken finds only the marked processes', () => {
    expect(processesWithToken('no-such-token-' + process.pid)).toEqual([]);
  });
});
