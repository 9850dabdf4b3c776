// The schema check generator (scripts/schema-check-source.mjs) on schemas other than the IR's:
// the shapes it compiles in ways the IR schemas do not use today (a oneOf or anyOf whose
// alternatives overlap, a definition that refers to itself through another, a schema for
// additional properties, dependent schemas) must give ajv's answer too, so a change to
// schemas/ cannot meet a code path that was never compared with ajv.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { checkExpressionSource } from '../../scripts/schema-check-source.mjs';

const require = createRequire(import.meta.url);
const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');

const generated = (schema: object) => new Function(`return ${checkExpressionSource(schema)};`)() as (v: unknown) => boolean;

const VALUES: unknown[] = [
  null, true, false, 0, -0, 1, -1, 1.5, -1.5, 2 ** 40, NaN, Infinity, '', 'a', 'ab', '\u{1F600}', 'a\u{1F600}', 'x://y',
  [], [1], [1, 1], ['a', 'b'], [{}], [[1], [1]], {}, { a: 1 }, { a: 'x' }, { b: 'x' }, { a: 1, b: 'x' }, { a: null },
  { kind: 'leaf', value: 1 }, { kind: 'node', kids: [] }, { kind: 'node', kids: [{ kind: 'leaf', value: 2 }] },
  { kind: 'node', kids: [{ kind: 'node', kids: [{ kind: 'leaf', value: 'no' }] }] }, { kind: 'other' },
  { n: 1, extra: 2 }, { n: 1, extra: -2 }, { n: 'x' }, { path: 'p' }, { path: 'p', url: 'u' }, { url: 'u' },
  { kind: 'leaf', value: 1, more: 1 }, { kind: 'a' }, { kind: 'b' }, { kind: 'z' }, { kind: 'leaf' },
];

const SCHEMAS: Record<string, object> = {
  'oneOf with overlapping alternatives (an integer is also a number)': {
    oneOf: [{ type: 'integer' }, { type: 'number', minimum: 0 }, { type: 'string', minLength: 2 }],
  },
  'anyOf of objects that can both match': {
    anyOf: [
      { type: 'object', required: ['a'], properties: { a: true } },
      { type: 'object', required: ['b'], properties: { b: { type: 'string' } } },
    ],
  },
  'oneOf of objects told apart only by a property type': {
    oneOf: [
      { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
      { type: 'object', required: ['a'], properties: { a: { type: 'integer' } } },
    ],
  },
  'anyOf of types no value has two of, and a oneOf nested in it': {
    anyOf: [{ type: 'string', pattern: '^a' }, { type: 'array', items: { oneOf: [{ type: 'integer' }, { type: 'array' }] } }, { type: 'null' }],
  },
  'definitions that refer to each other, with a tag': {
    $ref: '#/$defs/tree',
    $defs: {
      tree: { oneOf: [{ $ref: '#/$defs/leaf' }, { $ref: '#/$defs/node' }] },
      leaf: { type: 'object', additionalProperties: false, required: ['kind', 'value'], properties: { kind: { const: 'leaf' }, value: { type: 'integer' } } },
      node: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'kids'],
        properties: { kind: { const: 'node' }, kids: { type: 'array', items: { $ref: '#/$defs/tree' } } },
      },
    },
  },
  'additional properties with a schema of their own, beside known ones': {
    type: 'object',
    properties: { n: { type: 'integer' } },
    additionalProperties: { type: 'integer', minimum: 0 },
  },
  'dependent schemas, a required key allowed anything, a key never allowed': {
    type: 'object',
    required: ['path'],
    properties: { path: true, url: { type: 'string', pattern: '://' }, never: false },
    dependentSchemas: { url: { properties: { path: false } } },
  },
  // A switch on `kind` chose the alternative; what it proved of `kind` holds for that
  // alternative's own property only, not for a oneOf nested in it or a $ref beside it.
  'an alternative chosen by its tag, with a nested anyOf that tests the tag again': {
    oneOf: [
      {
        type: 'object',
        required: ['kind'],
        properties: { kind: { const: 'leaf' }, value: true, more: true },
        anyOf: [{ properties: { kind: { const: 'other' } } }, { required: ['value'], properties: { value: true } }],
      },
      { type: 'object', required: ['kind'], properties: { kind: { const: 'node' }, kids: true } },
    ],
  },
  'an alternative chosen by its tag, with a $ref beside its own keywords': {
    $defs: { base: { type: 'object', required: ['kind'], properties: { kind: { const: 'z' } } } },
    oneOf: [
      { $ref: '#/$defs/base', type: 'object', required: ['kind'], properties: { kind: { const: 'a' } } },
      { type: 'object', required: ['kind'], properties: { kind: { const: 'b' } } },
    ],
  },
  'unique items, an enum with null and numbers, a boolean const': {
    type: 'array',
    uniqueItems: true,
    items: { anyOf: [{ enum: [null, 1, 'a', -1.5] }, { const: true }, { type: 'array', items: { type: 'integer' } }] },
  },
};

describe('generated schema checks on other schemas', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(name, () => {
      // Undefined-valued keys are dropped, as JSON would.
      const plain = JSON.parse(JSON.stringify(schema)) as object;
      const ajv = new Ajv2020({ strict: true, allErrors: false }).compile(plain);
      const check = generated(plain);
      const wrong = VALUES.filter((v) => check(v) !== ajv(v));
      expect(wrong).toEqual([]);
      // Each schema both accepts and refuses some of the values: the comparison says something.
      expect(VALUES.some((v) => ajv(v))).toBe(true);
      expect(VALUES.some((v) => !ajv(v))).toBe(true);
    });
  }

  it('refuses to compile a keyword it does not implement, rather than ignoring it', () => {
    expect(() => checkExpressionSource({ type: 'array', maxItems: 2 })).toThrow(/unsupported keyword maxItems/);
    expect(() => checkExpressionSource({ $ref: '#/$defs/missing' })).toThrow(/unsupported \$ref/);
    expect(() => checkExpressionSource({ const: [1] })).toThrow(/only primitive const/);
  });
});
