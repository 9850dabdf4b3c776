import { readFileSync } from 'node:fs';

// The schemas whose checks run on every compile: their validators are generated at build
// time, so a process does not load ajv and compile the schema (which cost more than
// compiling a 10,000-line contract). Each is a yes/no check: src/ir/validate.ts asks it
// "valid?", and only a document it refuses is checked again by ajv, whose answer and errors
// are the ones reported. tests/compiler/schema-check-drift.test.ts proves the checked-in file
// is what this produces from schemas/, and that its answers are ajv's.
export const PRECOMPILED = [
  { name: 'checkIRv1', schema: 'aex-ir.schema.json' },
  { name: 'checkIRv2', schema: 'aex-ir-v2.schema.json' },
];

// Why not ajv's own standalone code: it collects error paths and evaluated properties as it
// goes, building an options object and a path string for every node it visits, which made
// checking the IR of a large contract cost a fifth of compiling it. The checks generated here
// allocate nothing: one function per subschema, each returning false at the first mismatch.
// Only the JSON Schema keywords the IR schemas use are compiled; any other keyword stops the
// build rather than being ignored.

const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'default', 'examples']);
const KEYWORDS = new Set([
  '$ref', 'type', 'const', 'enum', 'oneOf', 'anyOf', 'required', 'properties', 'additionalProperties', 'dependentSchemas',
  'items', 'minItems', 'uniqueItems', 'minLength', 'pattern', 'minimum',
]);

const TYPE_TEST = {
  object: (v) => `(${v} !== null && typeof ${v} === 'object' && !Array.isArray(${v}))`,
  array: (v) => `Array.isArray(${v})`,
  string: (v) => `typeof ${v} === 'string'`,
  number: (v) => `(typeof ${v} === 'number' && Number.isFinite(${v}))`,
  integer: (v) => `Number.isInteger(${v})`,
  boolean: (v) => `typeof ${v} === 'boolean'`,
  null: (v) => `${v} === null`,
};

/** A JavaScript literal for a const or enum value; only primitives are compared with ===. */
function primitive(value, where) {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return JSON.stringify(value);
  throw new Error(`${where}: only primitive const and enum values are supported`);
}

/** Source of the check functions for one schema; `entry` names the root's function. */
function compileSchema(root, label) {
  const functions = [];
  const patterns = new Map();
  const byDef = new Map();
  let count = 0;

  function patternName(source) {
    if (!patterns.has(source)) patterns.set(source, `pattern${patterns.size}`);
    return patterns.get(source);
  }

  function defFunction(ref, where) {
    const m = /^#\/\$defs\/([A-Za-z0-9_]+)$/.exec(ref);
    if (!m || !root.$defs || !(m[1] in root.$defs)) throw new Error(`${where}: unsupported $ref ${ref}`);
    if (!byDef.has(m[1])) {
      const name = `def_${m[1]}`;
      byDef.set(m[1], name);
      emit(name, root.$defs[m[1]], `${label}#/$defs/${m[1]}`);
    }
    return byDef.get(m[1]);
  }

  /** A function name checking `schema`; true and false schemas are inlined by callers. */
  function fn(schema, where) {
    const name = `check${count++}`;
    emit(name, schema, where);
    return name;
  }

  /** A test expression of `v` against a subschema. */
  function test(schema, v, where) {
    if (schema === true) return 'true';
    if (schema === false) return 'false';
    if (Object.keys(schema).length === 1 && schema.$ref) return `${defFunction(schema.$ref, where)}(${v})`;
    return `${fn(schema, where)}(${v})`;
  }

  function emit(name, schema, where) {
    const body = [];
    const out = (line) => body.push('  ' + line);
    if (schema === false) out('return false;');
    else if (schema !== true) {
      for (const k of Object.keys(schema)) {
        if (!KEYWORDS.has(k) && !ANNOTATIONS.has(k) && !(k === '$defs' && schema === root)) throw new Error(`${where}: unsupported keyword ${k}`);
      }
      if (schema.$ref !== undefined) out(`if (!${defFunction(schema.$ref, where)}(v)) return false;`);
      if (schema.type !== undefined) {
        const types = Array.isArray(schema.type) ? schema.type : [schema.type];
        for (const t of types) if (!TYPE_TEST[t]) throw new Error(`${where}: unknown type ${t}`);
        out(`if (!(${types.map((t) => TYPE_TEST[t]('v')).join(' || ')})) return false;`);
      }
      if ('const' in schema) out(`if (v !== ${primitive(schema.const, where)}) return false;`);
      if (schema.enum !== undefined) out(`if (!(${schema.enum.map((e) => `v === ${primitive(e, where)}`).join(' || ')})) return false;`);
      if (schema.anyOf !== undefined) out(`if (!(${schema.anyOf.map((s, i) => test(s, 'v', `${where}/anyOf/${i}`)).join(' || ')})) return false;`);
      if (schema.oneOf !== undefined) {
        const tag = discriminator(schema.oneOf);
        if (tag) {
          // Only the alternative whose tag value the document carries can match, so exactly one
          // matches when that one does: one call per node instead of one per alternative.
          out(`switch (${TYPE_TEST.object('v')} ? v[${JSON.stringify(tag.key)}] : undefined) {`);
          schema.oneOf.forEach((s, i) => {
            for (const value of tag.values[i]) out(`  case ${primitive(value, where)}:`);
            out(`    if (!${test(s, 'v', `${where}/oneOf/${i}`)}) return false;`);
            out('    break;');
          });
          out('  default:');
          out('    return false;');
          out('}');
        } else if (ownKeys(schema.oneOf)) {
          // Closed objects each requiring a key no other alternative allows ({lit}, {ref}, {list}):
          // the key a document carries names the one alternative that can match.
          const keys = ownKeys(schema.oneOf);
          schema.oneOf.forEach((s, i) => out(`${i ? 'else ' : ''}if (${TYPE_TEST.object('v')} && v[${JSON.stringify(keys[i])}] !== undefined) { if (!${test(s, 'v', `${where}/oneOf/${i}`)}) return false; }`));
          out('else return false;');
        } else {
          // Exactly one: stop as soon as a second alternative matches.
          out('let matched = 0;');
          schema.oneOf.forEach((s, i) => out(`if (${test(s, 'v', `${where}/oneOf/${i}`)} && ++matched > 1) return false;`));
          out('if (matched !== 1) return false;');
        }
      }
      const objectKeys = ['required', 'properties', 'additionalProperties', 'dependentSchemas'].filter((k) => k in schema);
      if (objectKeys.length) {
        // These keywords say nothing about a value that is not an object.
        out(`if (${TYPE_TEST.object('v')}) {`);
        for (const key of schema.required ?? []) out(`  if (v[${JSON.stringify(key)}] === undefined) return false;`);
        const props = schema.properties ?? {};
        for (const [key, sub] of Object.entries(props)) {
          const at = `v[${JSON.stringify(key)}]`;
          if (sub === true) continue;
          out(`  if (${at} !== undefined && !${test(sub, at, `${where}/properties/${key}`)}) return false;`);
        }
        if ('additionalProperties' in schema && schema.additionalProperties !== true) {
          const known = Object.keys(props).map((k) => `k === ${JSON.stringify(k)}`).join(' || ') || 'false';
          out('  for (const k in v) {');
          out(`    if (!(${known}) && !${test(schema.additionalProperties, 'v[k]', `${where}/additionalProperties`)}) return false;`);
          out('  }');
        }
        for (const [key, sub] of Object.entries(schema.dependentSchemas ?? {})) {
          out(`  if (v[${JSON.stringify(key)}] !== undefined && !${test(sub, 'v', `${where}/dependentSchemas/${key}`)}) return false;`);
        }
        out('}');
      }
      if (['items', 'minItems', 'uniqueItems'].some((k) => k in schema)) {
        out('if (Array.isArray(v)) {');
        if (schema.minItems !== undefined) out(`  if (v.length < ${Number(schema.minItems)}) return false;`);
        if (schema.items !== undefined && schema.items !== true) out(`  for (let i = 0; i < v.length; i++) if (!${test(schema.items, 'v[i]', `${where}/items`)}) return false;`);
        if (schema.uniqueItems === true) out('  if (!uniqueItems(v)) return false;');
        out('}');
      }
      if (schema.minLength !== undefined || schema.pattern !== undefined) {
        out("if (typeof v === 'string') {");
        // Lengths count code points, as JSON Schema does, not UTF-16 units.
        const min = schema.minLength;
        // At most one code point needed: any UTF-16 unit is at least part of one.
        if (min !== undefined) out(min <= 1 ? `  if (v.length < ${Number(min)}) return false;` : `  if (v.length < ${Number(min)} || codePoints(v) < ${Number(min)}) return false;`);
        if (schema.pattern !== undefined) out(`  if (!${patternName(schema.pattern)}.test(v)) return false;`);
        out('}');
      }
      if (schema.minimum !== undefined) out(`if (typeof v === 'number' && !(v >= ${Number(schema.minimum)})) return false;`);
    }
    out('return true;');
    functions.push(`function ${name}(v) {\n${body.join('\n')}\n}`);
  }

  /** The schema an alternative stands for: a lone $ref is read through. */
  function resolved(schema) {
    if (schema && typeof schema === 'object' && Object.keys(schema).length === 1 && typeof schema.$ref === 'string') {
      const m = /^#\/\$defs\/([A-Za-z0-9_]+)$/.exec(schema.$ref);
      if (m && root.$defs && m[1] in root.$defs) return resolved(root.$defs[m[1]]);
    }
    return schema;
  }

  /**
   * A property every alternative of a oneOf requires, of an object type, with a const or an
   * enum of strings, the alternatives' values disjoint (a step's `op`); undefined when there
   * is none. Each alternative's values then say which alternative alone can match.
   */
  function discriminator(alternatives) {
    const schemas = alternatives.map(resolved);
    if (!schemas.every((s) => s && typeof s === 'object' && s.type === 'object' && Array.isArray(s.required) && s.properties)) return undefined;
    for (const key of schemas[0].required) {
      const values = schemas.map((s) => {
        const p = s.required.includes(key) ? s.properties[key] : undefined;
        if (!p || typeof p !== 'object') return undefined;
        if (typeof p.const === 'string') return [p.const];
        if (Array.isArray(p.enum) && p.enum.every((e) => typeof e === 'string')) return p.enum;
        return undefined;
      });
      if (values.some((v) => v === undefined)) continue;
      const all = values.flat();
      if (new Set(all).size === all.length) return { key, values };
    }
    return undefined;
  }

  /**
   * For alternatives that are all closed objects (additionalProperties false), a required key of
   * each that no other alternative lists among its properties; undefined when some has none.
   */
  function ownKeys(alternatives) {
    const schemas = alternatives.map(resolved);
    if (!schemas.every((s) => s && typeof s === 'object' && s.type === 'object' && s.additionalProperties === false && Array.isArray(s.required) && s.properties)) return undefined;
    const keys = schemas.map((s, i) => s.required.find((k) => schemas.every((o, j) => j === i || !(k in o.properties))));
    return keys.every((k) => k !== undefined) ? keys : undefined;
  }

  const entry = fn(root, label);
  const patternSource = [...patterns].map(([source, name]) => `const ${name} = new RegExp(${JSON.stringify(source)}, 'u');`);
  return { entry, source: [...patternSource, ...functions].join('\n') };
}

// Helpers the checks share: code point length, and uniqueness by JSON value (a deep comparison).
const HELPERS = `function codePoints(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
function sameJson(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !sameJson(a[k], b[k])) return false;
  return true;
}
function uniqueItems(xs) {
  for (let i = 1; i < xs.length; i++) for (let j = 0; j < i; j++) if (sameJson(xs[i], xs[j])) return false;
  return true;
}`;

/** TypeScript source of src/ir/schema-check.generated.ts, from the schemas in `schemaDir`. */
export function generateSchemaCheckSource(schemaDir) {
  const parts = PRECOMPILED.map(({ name, schema }) => {
    const { entry, source } = compileSchema(JSON.parse(readFileSync(schemaDir + schema, 'utf8')), schema);
    // Each schema's functions in a scope of their own, so the two checks' names cannot collide.
    return `/** schemas/${schema}: true when the document is valid. */\nexport const ${name}: SchemaCheck = (() => {\n${source}\nreturn ${entry};\n})();\n`;
  });
  return [
    '// GENERATED from schemas/ by scripts/build-grammar.mjs (scripts/schema-check-source.mjs). Do not edit.',
    '// @ts-nocheck',
    '',
    '/** A generated schema check: true when the document is valid. */',
    'export type SchemaCheck = (doc: unknown) => boolean;',
    '',
    HELPERS,
    '',
    ...parts,
  ].join('\n');
}
