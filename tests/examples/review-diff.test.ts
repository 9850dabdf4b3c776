// examples/review-diff: approve a diff inside the allowed files; block one that is not (AEX058).
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { copyExample, readJson, root, runExample, snapshot } from './helpers.js';

const example = path.join(root, 'examples', 'review-diff');
const before = snapshot(example);
const base = ['task.aex', '--policy', 'policy.aex', '--model-handler', 'model.mjs'];

describe('examples/review-diff', () => {
  afterAll(() => {
    expect(snapshot(example)).toEqual(before);
  });

  it('reviews the diff and returns {verdict, files, notes} with the expected audit', () => {
    const expected = readJson<{ output: unknown; events: string[] }>(path.join(example, 'expected.json'));
    const r = runExample(copyExample('review-diff'), [...base, '--inputs', 'inputs.json']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected.output);
    expect(r.events.map((e) => e.event)).toEqual(expected.events);
    expect(r.events.map((e) => e.seq)).toEqual(r.events.map((_, i) => i + 1));
    expect(r.events.filter((e) => e.event === 'check.passed').map((e) => e.condition)).toEqual([
      'diff is valid diff',
      'diff touches only allowed_files',
      'diff does not include "console.log"',
      'diff does not include "BEGIN PRIVATE KEY"',
      'review touches only allowed_files',
      'review.notes',
    ]);
    expect(r.events.at(-1)).toMatchObject({ event: 'run.finished', status: 'success' });
  }, 60_000);

  it('blocks a diff that touches a file outside allowed_files: exit 1, status blocked, AEX058', () => {
    const expected = readJson<{ status: string; reasons: unknown[]; events: string[] }>(path.join(example, 'expected.outside.json'));
    const r = runExample(copyExample('review-diff'), [...base, '--inputs', 'inputs.outside.json', '--json']);
    expect(r.status).toBe(1);
    const result = JSON.parse(r.stdout) as { status: string; reasons: Array<{ code: string }>; issues: string[]; output?: unknown };
    expect(result.status).toBe(expected.status);
    expect(result.reasons).toEqual(expected.reasons);
    expect(result.reasons[0]!.code).toBe('AEX058');
    expect(result.output).toBeUndefined();
    expect(r.events.map((e) => e.event)).toEqual(expected.events);
    expect(r.events.at(-1)).toMatchObject({ event: 'run.finished', status: 'blocked', code: 'AEX058' });
    // Blocked before the model or any tool ran.
    expect(r.events.some((e) => e.event === 'make.result' || e.event === 'tool.allowed')).toBe(false);
  }, 60_000);

  it('the contract and policy check clean and are formatted', async () => {
    const { spawnSync } = await import('node:child_process');
    const cli = path.join(root, 'bin', 'aex.js');
    for (const args of [['check', 'task.aex', 'policy.aex'], ['fmt', '--check', 'task.aex', 'policy.aex']]) {
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: example, encoding: 'utf8', timeout: 30_000 });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  }, 60_000);
});
