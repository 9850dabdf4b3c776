import { describe, expect, it } from 'vitest';
import { patternWithin, toolMatches } from '../../src/rules/tool-pattern.js';

describe('toolMatches (docs/design.md#rules-and-permissions, docs/language.md)', () => {
  const table: Array<[string, string, boolean]> = [
    ['network.fetch', 'network.*', true],
    ['network', 'network.*', true],
    ['network.a.b', 'network.*', true],
    ['networkx.y', 'network.*', false],
    ['Network.fetch', 'network.*', false],
    ['anything', '*', true],
    ['', '*', true],
    ['mcp.fs.read_file', 'mcp.fs.read_*', true],
    ['mcp.fs.read_', 'mcp.fs.read_*', true],
    ['mcp.fs.read_file.x', 'mcp.fs.read_*', false],
    ['mcp.fs.write_file', 'mcp.fs.read_*', false],
    ['mcp.fs.read.file', 'mcp.fs.read*', false], // `*` never crosses a dot
    ['mcp.github.read_file', 'mcp.*.read_file', true],
    ['mcp.a.b.read_file', 'mcp.*.read_file', false],
    ['mcp.github.read_file', 'mcp.*.*', true],
    ['mcp.github', 'mcp.*.*', true], // trailing `.*`: the names of `mcp.*` themselves, and below
    ['mcp.github.x.y', 'mcp.*.*', true],
    ['mcp', 'mcp.*.*', false],
    ['mcp.fs.read?', 'mcp.fs.read?', true], // `?` is an ordinary character in tool names
    ['mcp.fs.readx', 'mcp.fs.read?', false],
    ['file.read', 'file.read', true],
    ['file.read ', 'file.read', false],
    ['file.readx', 'file.read', false],
    ['x.read_file', '*.read_file', true],
    ['a.b.read_file', '*.read_file', false],
    ['mcp.my-srv.do_it', 'mcp.my-srv.*', true],
  ];
  it.each(table)('%j vs %j → %s', (name, pattern, want) => {
    expect(toolMatches(name, pattern)).toBe(want);
  });
});

describe('patternWithin (conservative)', () => {
  const table: Array<[string, string, boolean]> = [
    ['file.read', 'file.*', true],
    ['file.*', 'file.read', false],
    ['a.b.*', 'a.*', true],
    ['ab.*', 'a.*', false],
    ['*', 'a.*', false],
    ['x', '*', true],
    ['*', '*', true],
    ['mcp.fs.read_file', 'mcp.fs.read_*', true],
    ['mcp.fs.read_x*', 'mcp.fs.read_*', true],
    ['mcp.fs.read_*', 'mcp.fs.read_x*', false],
    ['mcp.fs.read_*', 'mcp.fs.*', true],
    ['mcp.fs.read_*', 'mcp.*.read_*', true],
    ['mcp.*.read_file', 'mcp.fs.*', false],
    ['mcp.*.read_file', 'mcp.*', true],
    ['mcp.fs.*', 'mcp.fs.read_*', false],
    ['mcp.fs.*', 'mcp.*.*', true],
    ['mcp.*', 'mcp.*.*', false], // mcp itself and mcp.x are not in mcp.*.*
  ];
  it.each(table)('%j within %j → %s', (inner, outer, want) => {
    expect(patternWithin(inner, outer)).toBe(want);
  });

  it('agrees with toolMatches on sample names (never claims containment that fails)', () => {
    const names = ['mcp', 'mcp.fs', 'mcp.fs.read_file', 'mcp.fs.read_x', 'mcp.gh.read_file', 'mcp.fs.a.b', 'file.read', 'a', 'a.b', 'a.b.c'];
    const patterns = ['*', 'mcp.*', 'mcp.*.*', 'mcp.fs.*', 'mcp.fs.read_*', 'mcp.*.read_file', 'mcp.fs.read_x*', 'a.*', 'a.b.*', 'a.b', 'file.*'];
    for (const inner of patterns)
      for (const outer of patterns)
        if (patternWithin(inner, outer)) for (const n of names) if (toolMatches(n, inner)) expect(toolMatches(n, outer), `${n} ∈ ${inner} ⊆ ${outer}`).toBe(true);
  });
});
