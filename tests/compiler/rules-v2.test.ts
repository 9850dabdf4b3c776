import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource, parseRuleText } from '../../src/compiler/index.js';
import { parse } from '../../src/compiler/parser.js';
import { formatSource } from '../../src/compiler/index.js';
import { validateIR, validateIRv1, validateIRv2 } from '../../src/ir/validate.js';
import { asIRv2, needsIRv2 } from '../../src/compiler/lower.js';
import type { Rule } from '../../src/ir/types.js';

// The AEX 2 rule syntax (docs/language.md): qualifiers by capability, quoted qualifiers,
// where tests, segment wildcards, shell declarations; and how an author (or an agent
// that writes policies) could phrase a rule so that part of it silently disappears.

const policy = (lines: string) => `policy p v0\ngoal "g"\n${lines}\n`;
const compile = (lines: string) => compileSource(policy(lines));
const codes = (lines: string) => compile(lines).diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);
const errors = (lines: string) => compile(lines).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
/** The rules of the first list (allow) without loc. */
function allowRules(lines: string): Array<Omit<Rule, 'loc'>> {
  const r = compile(lines);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ir!.permissions.use.map(({ loc: _loc, ...rest }) => rest);
}

describe('docs/language.md examples', () => {
  it('command patterns for shell tools, hosts for network tools', () => {
    expect(allowRules('allow shell.exec:"git status", shell.exec:"git diff *", shell.exec:"npm test", shell.exec:"npm run *"')).toEqual([
      { tool: 'shell.exec', command: 'git status' },
      { tool: 'shell.exec', command: 'git diff *' },
      { tool: 'shell.exec', command: 'npm test' },
      { tool: 'shell.exec', command: 'npm run *' },
    ]);
    expect(allowRules('allow network.fetch:"*.github.com", network.fetch:registry.npmjs.org, network.fetch:"https://example.com/api/**"')).toEqual([
      { tool: 'network.fetch', host: '*.github.com' },
      { tool: 'network.fetch', host: 'registry.npmjs.org' },
      { tool: 'network.fetch', url: 'https://example.com/api/**' },
    ]);
    const r = compile('confirm before shell.exec:"git push *"\ndeny shell.exec:"rm -rf *", shell.exec:"sudo *", network.*\nallow shell.exec');
    expect(r.ir!.permissions.confirm.map((x) => x.command)).toEqual(['git push *']);
    expect(r.ir!.permissions.deny.map((x) => x.command ?? x.tool)).toEqual(['rm -rf *', 'sudo *', 'network.*']);
  });

  it('where tests with every operator and JSON values', () => {
    expect(allowRules('allow mcp.slack.post_message where channel in ["C0123", "C0456"]')).toEqual([
      { tool: 'mcp.slack.post_message', where: [{ arg: ['channel'], op: 'in', value: ['C0123', 'C0456'] }] },
    ]);
    const rules = allowRules(
      'allow mcp.x.t where a == "x" and b.c != 1.5e2 and d not in [true, null] and e matches "org/*" and f has "k" and g == {"k": [1, {}], "z": false}',
    );
    expect(rules[0]!.where).toEqual([
      { arg: ['a'], op: '==', value: 'x' },
      { arg: ['b', 'c'], op: '!=', value: 150 },
      { arg: ['d'], op: 'not in', value: [true, null] },
      { arg: ['e'], op: 'matches', value: 'org/*' },
      { arg: ['f'], op: 'has', value: 'k' },
      { arg: ['g'], op: '==', value: { k: [1, {}], z: false } },
    ]);
    expect(compile('deny mcp.github.* where repo matches "secret-org/*"').ir!.permissions.deny[0]!.where).toEqual([
      { arg: ['repo'], op: 'matches', value: 'secret-org/*' },
    ]);
  });

  it('segment wildcards in tool patterns', () => {
    expect(allowRules('allow mcp.fs.read_*, mcp.*.read_file, mcp__*').map((r) => r.tool)).toEqual(['mcp.fs.read_*', 'mcp.*.read_file', 'mcp__*']);
    for (const bad of ['a..b', 'a.**', '.x', 'x.', '-a', 'a.b(c)']) expect(errors(`allow ${bad}`), bad).toEqual(['AEX014']);
    expect(errors('allow a b')).toEqual(['AEX100']);
  });

  it('shell declarations', () => {
    const r = compile('allow mcp.runner.exec\nshell mcp.runner.exec, mcp.ci.run_command\nshell mcp.runner.exec');
    expect(r.ir!.irVersion).toBe('aex-ir/2');
    expect(r.ir!.shells).toEqual(['mcp.runner.exec', 'mcp.ci.run_command']);
    expect(errors('shell mcp.*.exec')).toEqual(['AEX014']);
    expect(errors('shell')).toEqual(['AEX100']);
  });
});

describe('a rule never loses a part silently', () => {
  it('quotes keep spaces, commas, # and escapes inside the qualifier', () => {
    expect(allowRules('allow shell.exec:"echo a, b # c", file.read:"a b\\"c\\\\d\\u00e9\\n"')).toEqual([
      { tool: 'shell.exec', command: 'echo a, b # c' },
      { tool: 'file.read', path: 'a b"c\\dé\n' },
    ]);
  });

  it('a where clause ends at the first comma outside brackets and quotes', () => {
    expect(allowRules('allow mcp.x.t where a in ["p,q", "r"] and b == {"k": [1, 2]}, file.read').map((r) => r.tool)).toEqual(['mcp.x.t', 'file.read']);
  });

  it('a where list may continue on the next lines', () => {
    const rules = allowRules('allow mcp.x.t where a in [\n    "one",   # first\n    "two"\n  ], file.read');
    expect(rules).toEqual([{ tool: 'mcp.x.t', where: [{ arg: ['a'], op: 'in', value: ['one', 'two'] }] }, { tool: 'file.read' }]);
  });

  it('an unquoted command with spaces, an unterminated quote or a stray word is an error, not a shorter rule', () => {
    expect(errors('deny shell.exec:rm -rf *')).toEqual(['AEX014']);
    expect(errors('deny shell.exec:"rm -rf *')).toEqual(['AEX102']);
    expect(errors('deny shell.exec:"rm" -rf')).toEqual(['AEX014']);
    expect(errors('deny mcp.x.t where a == 1 b == 2')).toEqual(['AEX014']);
    expect(errors('deny mcp.x.t where a == 1 and')).toEqual(['AEX014']);
    expect(errors('deny mcp.x.t where')).toEqual(['AEX014']);
    expect(errors('deny mcp.x.t where a = 1')).toEqual(['AEX014']);
    expect(errors("deny mcp.x.t where a == 'x'")).toEqual(['AEX100']);
    expect(errors('deny mcp.x.t where a == x')).toEqual(['AEX014']);
    expect(errors('deny mcp.x.t where a in "x"')).toEqual(['AEX014']);
    expect(errors('deny mcp.x.t where a matches 3')).toEqual(['AEX014']);
    expect(errors('deny mcp.x.t where a == {"k": 1, "k": 2}')).toEqual(['AEX014']);
    expect(errors('deny mcp.x.t where a == 1e999')).toEqual(['AEX014']);
    expect(errors('deny file.read:')).toEqual(['AEX014']);
    expect(errors('deny file.read:""')).toEqual(['AEX014']);
    expect(errors('deny file.read:"a\\qb"')).toEqual(['AEX103']);
    expect(errors('deny shell.exec:""')).toEqual(['AEX014']);
    expect(errors('deny network.fetch:"exa mple.com"')).toEqual(['AEX018']);
    expect(errors('deny network.fetch:"https://"')).toEqual(['AEX014']);
  });

  it('a rule with an error is never part of a usable IR', () => {
    const r = compile('allow file.read\ndeny shell.exec:rm -rf *');
    expect(r.ok).toBe(false);
  });

  it('"where" alone is a keyword; where.x and xwhere stay tool names', () => {
    expect(allowRules('allow where.x, xwhere, a.where').map((r) => r.tool)).toEqual(['where.x', 'xwhere', 'a.where']);
  });

  it('"__proto__" in a where value is an ordinary key', () => {
    const w = allowRules('allow mcp.x.t where a == {"__proto__": {"admin": true}}')[0]!.where![0]!.value as Record<string, unknown>;
    expect(Object.keys(w)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(w)).toBe(Object.prototype);
  });
});

describe('qualifier kind (AEX018) and readings (AEX016, AEX017)', () => {
  it('a command pattern on a file tool, a path glob on a network or shell tool', () => {
    expect(errors('allow file.read:"cat *"')).toEqual(['AEX018']);
    expect(errors('allow file.write:"rm -rf build"')).toEqual(['AEX018']);
    expect(errors('allow file.read:"git status"')).toEqual(['AEX018']);
    expect(errors('allow network.fetch:/api/**')).toEqual(['AEX018']);
    expect(errors('allow network.fetch:./x')).toEqual(['AEX018']);
    expect(errors('allow shell.exec:/workspace/**')).toEqual(['AEX018']);
    // A command line that ends with a slash is still a command line.
    expect(errors('deny shell.exec:"rm -rf /"')).toEqual([]);
    expect(errors('allow shell.*:scripts/')).toEqual(['AEX018']);
    // Paths with spaces stay paths; programs given by path stay commands.
    expect(errors('allow file.read:"./My Documents/**", shell.exec:"/usr/bin/git status", shell.exec:"./run.sh *"')).toEqual([]);
  });

  it('deny globs with two readings warn; anchored, absolute and any-depth ones do not', () => {
    const warn = (g: string) => compile(`allow file.read\ndeny file.read:${g}`).diagnostics.filter((d) => d.code === 'AEX016').length;
    for (const g of ['secrets/**', 'secrets', './secrets', '/etc/passwd', './.git', '/srv/../etc/**', '~root/x', '*/secrets']) expect(warn(g), g).toBe(1);
    for (const g of ['./secrets/', './secrets/**', '/etc/ssh/**', '**/secrets/**', '*.env', '~/.ssh/', './config.json', '"./My Documents/"']) expect(warn(g), g).toBe(0);
    // Allow rules never get AEX016.
    expect(compile('allow file.read:secrets').diagnostics.filter((d) => d.code === 'AEX016')).toEqual([]);
  });

  it('one-glob-word deny and confirm command patterns warn: `rm*` is not every rm', () => {
    const warn = (l: string) => compile(l).diagnostics.filter((d) => d.code === 'AEX016').map((d) => d.message);
    expect(warn('deny shell.exec:rm*')[0]).toMatch(/matches "rm\*" run with no arguments only; write "rm\* \*"/);
    expect(warn('confirm before shell.exec:git?')).toHaveLength(1);
    for (const l of ['deny shell.exec:sh', 'deny shell.exec:"rm *"', 'deny shell.exec:"rm -rf /"', 'deny shell.exec:*', 'allow shell.exec:git*', 'deny shell.exec:"git push:*"']) expect(warn(l), l).toEqual([]);
    expect(parseRuleText('shell.exec:rm*', 'deny').diagnostics.map((d) => d.code)).toEqual(['AEX016']);
    expect(parseRuleText('shell.exec:rm*', 'allow').diagnostics).toEqual([]);
  });

  it('bare MCP names and S.T aliases warn in policies only', () => {
    expect(codes('allow read_file, github.create_issue, github.*, mcp.github.list, file.read, shell.exec, aex.checkpoint')).toEqual(['AEX017 3:7', 'AEX017 3:18', 'AEX017 3:39']);
    const task = compileSource('task t v0\ngoal "g"\nuse echo, notes.add\ndo echo(m="x")\ndo notes.add(m="y")\nreturn 1\n');
    expect(task.diagnostics.filter((d) => d.code === 'AEX017')).toEqual([]);
  });
});

const validDir = join(__dirname, '..', 'fixtures', 'valid');

describe('IR versions (docs/design.md#the-ir-contract)', () => {
  const goldenDir = join(__dirname, '..', 'fixtures', 'ir-v1-golden');
  const goldens = readdirSync(goldenDir).filter((f) => f.endsWith('.json'));

  it.each(goldens)('%s: an AEX 1 document compiles to the same v1 bytes as before AEX 2', (g) => {
    const name = g.replace(/\.json$/, '.aex');
    const r = compileSource(readFileSync(join(validDir, name), 'utf8'), { path: name });
    expect(JSON.stringify(r.ir, null, 2) + '\n').toBe(readFileSync(join(goldenDir, g), 'utf8'));
  });

  it('a document needs v2 exactly when it uses an AEX 2 construct', () => {
    const v = (lines: string) => compile(lines).ir!.irVersion;
    expect(v('allow file.read:"a b", shell.exec, network.*')).toBe('aex-ir/1');
    for (const l of ['allow shell.exec:git*', 'allow network.fetch:github.com', 'allow mcp.x.t where a == 1', 'allow mcp.fs.read_*', 'shell mcp.x.run']) {
      expect(v(l), l).toBe('aex-ir/2');
    }
  });

  it('v2 validates against its schema, v1 does not accept v2 fields, and v1 forced to v2 stays valid', () => {
    const r = compile('allow shell.exec:"git status" where cwd == "/w"\nshell mcp.x.run');
    expect(validateIRv2(r.ir).errors).toEqual([]);
    expect(validateIR(r.ir).valid).toBe(true);
    expect(validateIRv1({ ...r.ir, irVersion: 'aex-ir/1' }).valid).toBe(false);
    const one = compile('allow file.read');
    expect(needsIRv2(one.ir!)).toBe(false);
    expect(validateIRv2(asIRv2(one.ir!)).errors).toEqual([]);
    expect(asIRv2(one.ir!).shells).toEqual([]);
  });

  it('the v2 schema refuses a rule with two qualifiers or a bad operator', () => {
    const ir = asIRv2(compile('allow file.read').ir!);
    const bad = (rule: object) => validateIRv2({ ...ir, permissions: { ...ir.permissions, use: [{ tool: 'x', loc: { line: 1, column: 1 }, ...rule }] } }).valid;
    expect(bad({ command: 'a', path: 'b' })).toBe(false);
    expect(bad({ host: 'a', url: 'https://b' })).toBe(false);
    expect(bad({ where: [{ arg: ['a'], op: '=~', value: 1 }] })).toBe(false);
    expect(bad({ url: 'no-scheme' })).toBe(false);
    expect(bad({ command: 'git status' })).toBe(true);
  });
});

describe('fmt of AEX 2 rules', () => {
  it('prints the canonical form', () => {
    const out = formatSource(
      policy(
        'allow   shell.exec:"git status",shell.exec:git*, network.fetch:"registry.npmjs.org"\nallow mcp.x.t where  a==[ "y","z" ]and b not   in [1,2] and c == {k: 1}\ndeny file.read:"./a b/**" # why\nshell mcp.r.exec ,mcp.s.exec',
      ),
    ).output;
    expect(out).toBe(
      [
        'policy p v0',
        '',
        'goal "g"',
        '',
        'allow shell.exec:"git status", shell.exec:git*, network.fetch:registry.npmjs.org, mcp.x.t where a == ["y", "z"] and b not in [1, 2] and c == {"k": 1}',
        'deny file.read:"./a b/**" # why',
        'shell mcp.r.exec, mcp.s.exec',
        '',
      ].join('\n'),
    );
    expect(formatSource(out!).output).toBe(out);
  });

  it('refuses a file whose rule line does not parse (the rule would be lost)', () => {
    const res = formatSource(policy('allow file.read\ndeny mcp.x.t where a = 1'));
    expect(res.output).toBeNull();
    expect(res.blocking.map((d) => d.code)).toEqual(['AEX014']);
  });

  it('every statement of the v2 fixtures parses exactly once', () => {
    for (const f of ['policy-v2.aex', 'task-v2.aex']) expect(parse(readFileSync(join(validDir, f), 'utf8')).ambiguities).toEqual([]);
  });
});

describe('parseRuleText (JSON policies)', () => {
  it('reads the same syntax as .aex rules', () => {
    expect(parseRuleText('shell.exec:"git status"')).toEqual({ rule: { tool: 'shell.exec', command: 'git status' }, diagnostics: [] });
    expect(parseRuleText('mcp.s.t where a in ["x", "y"]').rule).toEqual({ tool: 'mcp.s.t', where: [{ arg: ['a'], op: 'in', value: ['x', 'y'] }] });
    expect(parseRuleText('file.read:src/**').rule).toEqual({ tool: 'file.read', path: 'src/**' });
  });

  it('refuses what an .aex line would read differently or not at all', () => {
    const code = (t: string) => parseRuleText(t).diagnostics.find((d) => d.severity === 'error')?.code;
    expect(code('file.read:a#b')).toBe('AEX014');
    expect(code('file.read, shell.exec')).toBe('AEX014');
    expect(code('file.read:a\nb')).toBe('AEX014');
    expect(code(' file.read')).toBe('AEX014');
    expect(code('')).toBe('AEX014');
    expect(code('file.read:"cat *"')).toBe('AEX018');
    expect(code('shell.exec:rm -rf *')).toBe('AEX014');
    expect(code('mcp.x where a = 1')).toBe('AEX014');
    expect(code('bad rule')).toBe('AEX100');
    for (const t of ['file.read:a#b', 'file.read, shell.exec', 'shell.exec:rm -rf *']) expect(parseRuleText(t).rule).toBeUndefined();
  });

  it('reports columns within the rule text and AEX016 for deny globs', () => {
    const d = parseRuleText('mcp.x.t where a = 1').diagnostics[0]!;
    expect([d.line, d.column]).toEqual([1, 17]);
    expect(parseRuleText('file.read:secrets/**', 'deny').diagnostics.map((x) => x.code)).toEqual(['AEX016']);
    expect(parseRuleText('file.read:secrets/**', 'allow').diagnostics).toEqual([]);
  });
});
