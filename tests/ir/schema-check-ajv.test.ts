// The generated IR schema checks (src/ir/schema-check.generated.ts, scripts/schema-check-source.mjs)
// answer "valid?" for every compile; ajv is asked only about a document they refuse. So they
// must never accept what ajv refuses: each is held to ajv's answer on the IR of every .aex in
// the tree and on thousands of mutations of it (a key dropped or added, a value of another
// type, an empty string, a duplicate, a value moved from elsewhere in the document).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { asIRv2 } from '../../src/compiler/lower.js';
import { checkIRv1, checkIRv2 } from '../../src/ir/schema-check.generated.js';

const root = path.join(__dirname, '..', '..');
const require = createRequire(import.meta.url);
const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
const ajvCheck = (name: string) => new Ajv2020({ strict: true, allErrors: false }).compile(JSON.parse(readFileSync(path.join(root, 'schemas', name), 'utf8')));
const ajvV1 = ajvCheck('aex-ir.schema.json');
const ajvV2 = ajvCheck('aex-ir-v2.schema.json');

function aexFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? aexFiles(p) : n.endsWith('.aex') ? [p] : [];
  });
}

const extra = [
  'policy p v1\ngoal "g"\nallow shell.exec:"git status", web.fetch:host "example.com", web.get:url "https://example.com/x"\nshell shell.exec, sh.run\ndeny file.read:./secret/**\n',
  'task t v1\ngoal "g"\nuse a.b where x == 1, c.d:./src/**\nneed files: list[file]\nneed n?: int\nbudget calls=3, tokens=10\ndo a.b(x=[1, {k: "v", n: null}], y=true) -> r\nfor f in files\n  if f has ".ts"\n    do c.d(p=f)\ncheck r touches only ["a", "b"]\nreturn {ok: r.x[0]}\n',
];
const docs: unknown[] = [];
for (const text of [...aexFiles(path.join(root, 'examples')), ...aexFiles(path.join(root, 'tests')), ...extra].map((f) => (f.endsWith('.aex') ? readFileSync(f, 'utf8') : f))) {
  const ir = compileSource(text, { path: 'x.aex' }).ir;
  if (ir === null) continue;
  docs.push(ir);
  if (ir.irVersion === 'aex-ir/1') docs.push(asIRv2(ir));
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const clone = (x: unknown): Json => JSON.parse(JSON.stringify(x)) as Json;

/** Every object and array in `doc`, with the key or index that holds it in its parent. */
function containers(doc: Json): Array<Json[] | { [k: string]: Json }> {
  const out: Array<Json[] | { [k: string]: Json }> = [];
  const walk = (x: Json) => {
    if (x === null || typeof x !== 'object') return;
    out.push(x);
    for (const v of Array.isArray(x) ? x : Object.values(x)) walk(v);
  };
  walk(doc);
  return out;
}

const REPLACEMENTS: Json[] = [null, 0, -1, 1.5, 2 ** 40, '', 'a b', '*', 'x.*', 'a.b', 'aex-ir/2', 'call', 'has', 'str', '\u{1F600}', [], {}, true, { ref: 'r' }, { lit: 1 }];

function mutate(doc: Json, rnd: () => number): Json {
  const m = clone(doc);
  const all = containers(m);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const target = pick(all);
  const elsewhere = pick(all);
  const op = Math.floor(rnd() * 5);
  const value = rnd() < 0.3 ? clone(elsewhere) : pick(REPLACEMENTS);
  if (Array.isArray(target)) {
    const keys = target.map((_, i) => i);
    if (op === 0 || keys.length === 0) target.push(value);
    else if (op === 1) target.push(clone(target[0]!));
    else if (op === 2) target.splice(Math.floor(rnd() * target.length), 1);
    else target[pick(keys)] = value;
  } else {
    const keys = Object.keys(target);
    if (op === 0 || keys.length === 0) target[pick(['extra', 'path', 'command', 'host', 'url', 'where', 'shells', 'loc', 'bind'])] = value;
    else if (op === 1) delete target[pick(keys)];
    else target[pick(keys)] = value;
  }
  return m;
}

it('the corpus holds IR of both versions', () => {
  expect(docs.length).toBeGreaterThan(50);
  expect(docs.some((d) => (d as { irVersion: string }).irVersion === 'aex-ir/2')).toBe(true);
});

it('the generated checks give ajv\'s answer on every compiled document and on mutations of it', () => {
  const rnd = random(14);
  let refused = 0;
  let checked = 0;
  const disagreements: Array<{ doc: string; ajv: boolean[]; generated: boolean[] }> = [];
  for (const doc of docs) {
    const variants = [doc as Json];
    for (let i = 0; i < 60; i++) variants.push(mutate(doc as Json, rnd));
    for (const v of variants) {
      const ajv = [ajvV1(v) as boolean, ajvV2(v) as boolean];
      const generated = [checkIRv1(v), checkIRv2(v)];
      if (ajv[0] !== generated[0] || ajv[1] !== generated[1]) disagreements.push({ doc: JSON.stringify(v).slice(0, 2000), ajv, generated });
      if (!ajv[0] && !ajv[1]) refused++;
      checked++;
    }
  }
  expect(disagreements.slice(0, 3)).toEqual([]);
  // Most mutations make a document invalid; the check is only worth something if they do.
  expect(refused).toBeGreaterThan(checked / 3);
});

it('refuses what JSON cannot carry or JSON Schema counts differently', () => {
  const ir = compileSource('policy p v1\ngoal "g"\nallow file.read\n', { path: 'p.aex' }).ir as unknown as Record<string, unknown>;
  expect(checkIRv1(ir)).toBe(true);
  expect(checkIRv1({ ...ir, budget: { calls: Infinity } })).toBe(false);
  expect(checkIRv1({ ...ir, budget: { calls: NaN } })).toBe(false);
  expect(checkIRv1({ ...ir, budget: { calls: 1.5 } })).toBe(false);
  // One astral character is one character of a minLength.
  const v2 = asIRv2(ir as never) as unknown as { permissions: { use: Array<Record<string, unknown>> } };
  v2.permissions.use[0]!.command = '\u{1F600}';
  expect(checkIRv2(v2)).toBe(ajvV2(v2));
});

it('gives ajv\'s answer on values JSON never produces: arrays posing as objects, inherited and undefined keys, odd numbers', () => {
  const task = compileSource('task t v1\ngoal "g"\nuse a.b\nneed xs: list[str]\ndo a.b(x=[1, {k: "v"}], y=xs) -> r\nfor f in xs\n  if f has "a"\n    do a.b(z=f)\ncheck r touches only ["a"]\nreturn {ok: r.x}\n', { path: 't.aex' }).ir;
  expect(task).not.toBeNull();
  const base = () => clone(task) as { [k: string]: Json } & { steps: Array<{ [k: string]: Json }> };
  const variants: unknown[] = [];
  const at = (edit: (d: ReturnType<typeof base>) => void) => {
    const d = base();
    edit(d);
    variants.push(d, asIRv2(d as never));
  };
  // An array carrying an object's keys is not an object; an object is not an array.
  at((d) => (d.steps[0]!.loc = Object.assign([], { line: 1, column: 1 }) as never));
  at((d) => (d.steps = Object.assign({}, d.steps) as never));
  at((d) => (d.permissions = Object.assign([], d.permissions) as never));
  // A required key whose value is undefined is missing; an optional one is absent.
  at((d) => (d.steps[0]!.bind = undefined as never));
  at((d) => ((d as { source?: unknown }).source = undefined));
  at((d) => (d.steps[0]!.args = [{ name: 'x', value: { lit: undefined } }] as never));
  // Keys reached through the prototype count for properties and additionalProperties alike.
  at((d) => (d.steps[0]!.loc = Object.create({ line: 1 }, { column: { value: 2, enumerable: true } }) as never));
  at((d) => (d.steps[0]!.loc = Object.create({ extra: 1 }, { line: { value: 1, enumerable: true }, column: { value: 2, enumerable: true } }) as never));
  // A key that is not enumerable is still read by properties, not seen by additionalProperties.
  at((d) => Object.defineProperty(d.steps[0]!, 'hidden', { value: 1, enumerable: false }));
  at((d) => Object.defineProperty(d.steps[0]!.loc as object, 'line', { value: 0, enumerable: false }));
  // Numbers JSON cannot carry, integers beyond 32 bits, negative zero, boxed values.
  for (const n of [NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, 2 ** 60, -0, 0.5, -1, 1e-300]) {
    at((d) => (d.steps[0]!.loc = { line: n, column: 1 }));
    at((d) => (d.steps[0]!.args = [{ name: 'x', value: { lit: n } }] as never));
    at((d) => (d.steps[0]!.args = [{ name: 'x', value: { ref: 'xs', path: [n] } }] as never));
    at((d) => (d.budget = { calls: n, other: n } as never));
  }
  at((d) => (d.steps[0]!.tool = new String('a.b') as never));
  at((d) => (d.steps[0]!.args = [{ name: 'x', value: { lit: new Number(1) } }] as never));
  at((d) => (d.steps[0]!.args = [{ name: 'x', value: { lit: 1n } }] as never));
  at((d) => (d.steps[0]!.args = [{ name: 'x', value: { lit: Symbol('s') } }] as never));
  // A tag of the wrong type, or that no alternative has, chooses nothing.
  at((d) => (d.steps[0]!.op = new String('call') as never));
  at((d) => (d.steps[0]!.op = 'toString'));
  at((d) => (d.steps[0]!.args = [{ name: 'x', value: { lit: 1, ref: 'xs' } }] as never));
  at((d) => (d.steps[0]!.args = [{ name: 'x', value: { ref: 'xs', list: [] } }] as never));
  at((d) => (d.steps[0]!.args = [{ name: 'x', value: {} }] as never));
  at((d) => (d.steps[0]!.args = [{ name: 'x', value: null }] as never));
  let refused = 0;
  for (const v of variants) {
    const ajv = [ajvV1(v) as boolean, ajvV2(v) as boolean];
    expect([checkIRv1(v), checkIRv2(v)], JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' || typeof x === 'symbol' ? String(x) : x)).slice(0, 300)).toEqual(ajv);
    if (!ajv[0] && !ajv[1]) refused++;
  }
  expect(refused).toBeGreaterThan(variants.length / 2);
});
