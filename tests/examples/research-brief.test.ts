// examples/research-brief: cited brief from local sources, written under out/ behind a
// confirmation, under a JSON policy that denies network.* and confines writes to out/**.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { copyExample, readJson, root, runExample, snapshot } from './helpers.js';

const example = path.join(root, 'examples', 'research-brief');
const before = snapshot(example);
const base = ['task.aex', '--policy', 'policy.json', '--inputs', 'inputs.json', '--model-handler', 'model.mjs'];

describe('examples/research-brief', () => {
  afterAll(() => {
    expect(snapshot(example)).toEqual(before);
  });

  it('writes out/brief.md with citations and returns the expected result and audit', () => {
    const expected = readJson<{ output: { brief: string; brief_path: string }; events: string[] }>(path.join(example, 'expected.json'));
    const r = runExample(copyExample('research-brief'), [...base, '--auto-confirm']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected.output);
    expect(r.events.map((e) => e.event)).toEqual(expected.events);
    expect(r.events.map((e) => e.seq)).toEqual(r.events.map((_, i) => i + 1));
    expect(r.events.find((e) => e.event === 'confirm.approved')).toMatchObject({ tool: 'file.write' });
    // The file on disk is the brief the contract returned, and every source is cited.
    const written = readFileSync(path.join(r.dir, expected.output.brief_path), 'utf8');
    expect(written).toBe(expected.output.brief);
    for (const s of ['sources/heat-pumps.md', 'sources/grid-load.md', 'sources/costs.md']) expect(written).toContain(`](${s})`);
    expect(r.events.some((e) => String(e.tool ?? '').startsWith('network.'))).toBe(false);
  }, 60_000);

  it('without --auto-confirm the write is refused (AEX053) and nothing is written', () => {
    const r = runExample(copyExample('research-brief'), [...base, '--json']);
    expect(r.status).toBe(1);
    const result = JSON.parse(r.stdout) as { status: string; reasons: Array<{ code: string }> };
    expect(result.status).toBe('blocked');
    expect(result.reasons.map((x) => x.code)).toEqual(['AEX053']);
    expect(r.events.map((e) => e.event).slice(-3)).toEqual(['confirm.required', 'confirm.denied', 'run.finished']);
    expect(existsSync(path.join(r.dir, 'out'))).toBe(false);
  }, 60_000);

  it('a write outside out/** is not allowed (AEX050) and the target is untouched', () => {
    const dir = copyExample('research-brief');
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    const r = runExample(dir, [...base, '--auto-confirm', '--input', 'out_path=README.md', '--json']);
    expect(r.status).toBe(1);
    const result = JSON.parse(r.stdout) as { status: string; reasons: Array<{ code: string }> };
    expect(result).toMatchObject({ status: 'blocked' });
    expect(result.reasons.map((x) => x.code)).toEqual(['AEX050']);
    expect(r.events.find((e) => e.event === 'tool.denied')).toMatchObject({ tool: 'file.write', reason: 'not_allowed' });
    expect(r.events.some((e) => e.event === 'confirm.required')).toBe(false);
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe(readme);
  }, 60_000);

  it('the contract checks clean and is formatted', () => {
    const cli = path.join(root, 'bin', 'aex.js');
    for (const args of [['check', 'task.aex'], ['fmt', '--check', 'task.aex']]) {
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: example, encoding: 'utf8', timeout: 30_000 });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  }, 60_000);
});
