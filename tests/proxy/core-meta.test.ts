// The meta-tools through the relay, in-process: hidden without an allow rule, free of
// budget with one, annotated, absent behind --no-meta; and aex.review_task gives the
// same verdict as `aex review`.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inProc, type InProc } from './inproc.js';
import { reviewTask } from '../../src/authoring/review.js';

let px: InProc | undefined;
afterEach(() => {
  px?.cleanup();
  px = undefined;
});

const listServer = (m: Record<string, unknown>) => {
  if (m.id === undefined) return;
  if (m.method === 'tools/list') return [{ jsonrpc: '2.0', id: m.id as number, result: { tools: [{ name: 'echo', inputSchema: { type: 'object' } }, { name: 'aex_checkpoint', inputSchema: { type: 'object' } }] } }];
  return [{ jsonrpc: '2.0', id: m.id as number, result: { content: [{ type: 'text', text: `upstream ran ${(m.params as { name?: string })?.name}` }] } }];
};

async function listed(p: InProc): Promise<Array<Record<string, unknown>>> {
  p.client.say({ jsonrpc: '2.0', id: 'list', method: 'tools/list', params: {} });
  return ((await p.client.next()).result as { tools: Array<Record<string, unknown>> }).tools;
}
const textOf = (m: Record<string, unknown>) => ((m.result as { content: Array<{ text: string }> }).content[0]!.text);

describe('meta-tools', () => {
  it('are hidden and refused without an allow rule', async () => {
    px = await inProc({ allow: ['mcp.box.echo'] }, { setup: { name: 'box' }, handler: listServer });
    expect((await listed(px)).map((t) => t.name)).toEqual(['echo']);
    expect(textOf(await px.call(1, 'aex_checkpoint', { name: 'x' }))).toBe('AEX: no rule allows aex.checkpoint under policy policy (policy.json)');
    // An upstream tool spelled like a meta-tool is neither listed nor reachable under that name.
    expect(px.upstream.received.filter((m) => m.method === 'tools/call')).toEqual([]);
  });

  it('with an allow rule: listed once with annotations, and they cost no budget', async () => {
    px = await inProc({ allow: ['mcp.box.echo', 'aex.*'], budget: { calls: 1 } }, { setup: { name: 'box' }, handler: listServer });
    const tools = await listed(px);
    expect(tools.map((t) => t.name)).toEqual(['echo', 'aex_checkpoint', 'aex_resume', 'aex_list_tasks', 'aex_review_task']);
    const ann = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
    expect(ann.aex_list_tasks).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(ann.aex_review_task).toMatchObject({ readOnlyHint: true });
    expect(ann.aex_checkpoint).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(ann.aex_resume).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    for (let i = 0; i < 3; i++) expect(JSON.parse(textOf(await px.call(`l${i}`, 'aex_list_tasks')))).toEqual({ tasks: [] });
    expect(textOf(await px.call(2, 'echo'))).toBe('upstream ran echo');
    expect(textOf(await px.call(3, 'echo'))).toMatch(/^AEX: call budget exhausted/);
  });

  it('--no-meta: not offered even under allow *, and the name is an ordinary upstream tool', async () => {
    px = await inProc({ allow: ['*'] }, { setup: { name: 'box', noMeta: true }, handler: listServer });
    expect((await listed(px)).map((t) => t.name)).toEqual(['echo', 'aex_checkpoint']);
    expect(textOf(await px.call(1, 'aex_checkpoint', { name: 'x' }))).toBe('upstream ran aex_checkpoint');
    const allowed = px.events().filter((e) => e.event === 'tool.allowed').map((e) => e.tool);
    expect(allowed).toEqual(['mcp.box.aex_checkpoint']);
  });
});

describe('aex.review_task agrees with aex review', () => {
  it('a task that uses a tool the policy denies outright does not run under the policy, in both', async () => {
    px = await inProc({ allow: ['file.*', 'aex.*'], deny: ['file.write'] }, { setup: { name: 'box' } });
    mkdirSync(path.join(px.dir, 'tasks'));
    writeFileSync(
      path.join(px.dir, 'tasks', 't.aex'),
      'task t v0\ngoal "Write it."\nuse file.read, file.write\nneed p: str\ndo file.read(path=p) -> c\ndo file.write(path=p, content=c) -> w\nreturn w\n',
    );
    const meta = JSON.parse(textOf(await px.call(1, 'aex_review_task', { task: 'tasks/t.aex' })));
    const cli = (await reviewTask('tasks/t.aex', { cwd: px.dir, policyPath: path.join(px.dir, 'policy.json') })).summary;
    expect(meta.runsUnderPolicy).toBe(false);
    expect(meta.runsUnderPolicy).toBe(cli.runsUnderPolicy);
    expect(meta.warnings).toEqual(cli.warnings);
    expect(meta.warnings.join('\n')).toMatch(/denied by policy rule "file.write"/);
    expect(meta.effective).toEqual({ allow: cli.effective.allow, deny: cli.effective.deny, confirm: cli.effective.confirm });
    expect(meta.valid).toBe(cli.valid);
  });
});
