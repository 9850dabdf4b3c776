// A plain simple command is described without loading the shell parser; a line that needs
// the parser — itself, or a command string inside a plain line — loads it and is described
// as before. (Its own file: no other test may have loaded the parser in this process.)
import { describe, expect, it } from 'vitest';
import { describeShell, shellParserLoaded } from '../../src/describe/shell/index.js';

const ctx = { root: '/proj', cwd: '/proj', home: '/home/u' };

describe('the shell describer without its parser', () => {
  it('describes `git status` and `ls src` without loading tree-sitter', async () => {
    expect(shellParserLoaded()).toBe(false);
    const git = await describeShell('git status', ctx);
    expect(git.find((a) => a.cap === 'shell.exec')).toMatchObject({ argv: ['git', 'status'] });
    const ls = await describeShell('ls src', ctx);
    expect(ls.find((a) => a.cap === 'shell.exec')).toMatchObject({ argv: ['ls', 'src'] });
    expect(shellParserLoaded()).toBe(false);
  });

  it('a plain line whose command string needs the parser loads it and is described in full', async () => {
    expect(shellParserLoaded()).toBe(false);
    const actions = await describeShell('sh -c a=b', ctx);
    expect(shellParserLoaded()).toBe(true);
    // The same actions as with the parser loaded from the start.
    expect(await describeShell('sh -c a=b', ctx)).toEqual(actions);
    expect(actions.some((a) => a.unresolved?.some((u) => u.why === 'describer error'))).toBe(false);
  });
});
