// Runs exactly the "In your own LangGraph application" example of docs/langgraph.md, as a
// user would: an ES module importing the built package (`aex/dist/...`) and LangGraph.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(__dirname, '../..');
const doc = readFileSync(path.join(repo, 'docs', 'langgraph.md'), 'utf8');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'aex-lg-doc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function snippet(): string {
  const section = doc.slice(doc.indexOf('## In your own LangGraph application'));
  const m = /```js\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('docs/langgraph.md has no js example');
  return m[1]!;
}

describe('docs/langgraph.md example', () => {
  it('runs as written: streams, pauses at the confirmation, resumes with Command', () => {
    expect(existsSync(path.join(repo, 'dist', 'backends', 'langgraph', 'index.js'))).toBe(true); // npm test builds first
    const app = path.join(tmp, 'app');
    mkdirSync(path.join(app, 'node_modules'), { recursive: true });
    symlinkSync(repo, path.join(app, 'node_modules', 'aex'), 'dir');
    symlinkSync(path.join(repo, 'node_modules', '@langchain'), path.join(app, 'node_modules', '@langchain'), 'dir');
    writeFileSync(path.join(app, 'example.mjs'), snippet());
    const r = spawnSync(process.execPath, ['example.mjs'], { cwd: app, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('audit ')).map((l) => l.split(' ').slice(2).join(' '))).toEqual([
      'run.started',
      'tool.allowed',
      'tool.result',
      'confirm.required',
      'confirm.approved',
      'tool.allowed',
      'tool.result',
      'run.finished',
    ]);
    expect(lines.filter((l) => l.startsWith('audit ')).map((l) => Number(l.split(' ')[1]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(lines.filter((l) => l.startsWith('node '))).toEqual(['node run_start', 'node call_9_1', 'node call_10_1', 'node __interrupt__']);
    expect(lines).toContain('confirm? blog.publish {"text":"Notes on graphs."}');
    expect(lines[lines.length - 1]).toBe('result {"status":"success","issues":[],"reasons":[],"output":{"url":"https://blog.example/16"}}');
  }, 60_000);
});
