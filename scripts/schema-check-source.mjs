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
// allocate nothing and return false at the first mismatch. Only the JSON Schema keywords the
// IR schemas use are compiled; any other keyword stops the build rather than being ignored.
//
// The check runs once per `aex compile`, in a process that lives well under a second, so it
// runs mostly before V8 has optimised it: what costs is the number of calls and bytecodes per
// node, and every function hot enough to be optimised is a TurboFan job competing for the
// CPU with the compile itself (one per small function, each inlining its callees again). So
// subschemas are inlined into the code of the one that holds them, and a function exists only
// for a definition that refers back to itself (an expression holds expressions, a block
// steps that hold blocks): a document is checked by a handful of functions, one loop per
// array, one pass over each object's keys. Facts already tested (a value's type, the tag a
// `switch` chose) are not tested again.

const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'default', 'examples']);
const KEYWORDS = new Set([
  '$ref', 'type', 'const', 'enum', 'oneOf', 'anyOf', 'required', 'properties', 'additionalProperties', 'dependentSchemas',
  'items', 'minItems', 'uniqueItems', 'minLength', 'pattern', 'minimum',
]);

const TYPE_TEST = {
  object: (v) => `typeof ${v} === 'object' && ${v} !== null && !Array.isArray(${v})`,
  array: (v) => `Array.isArray(${v})`,
  string: (v) => `typeof ${v} === 'string'`,
  // Finite numbers only (JSON has no NaN or Infinity): x - x is 0 for those alone.
  number: (v) => `typeof ${v} === 'number' && ${v} - ${v} === 0`,
  // Number.isInteger, called only for integers beyond 32 bits.
  integer: (v) => `(${v} | 0) === ${v} || Number.isInteger(${v})`,
  boolean: (v) => `typeof ${v} === 'boolean'`,
  null: (v) => `${v} === null`,
};

/** A JavaScript literal for a const or enum value; only primitives are compared with ===. */
function primitive(value, where) {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return JSON.stringify(value);
  throw new Error(`${where}: only primitive const and enum values are supported`);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** `v.key`, or `v["key"]` for a key that is not an identifier. */
const member = (v, key) => (IDENTIFIER.test(key) ? `${v}.${key}` : `${v}[${JSON.stringify(key)}]`);

/** Source of the check functions for one schema; `entry` names the root's function. */
function compileSchema(root, label) {
  const defs = root.$defs ?? {};
  const patterns = new Map();
  const functions = [];
  const defFunctions = new Map();
  let temps = 0;

  function patternName(source) {
    if (!patterns.has(source)) patterns.set(source, `pattern${patterns.size}`);
    return patterns.get(source);
  }

  function defName(ref, where) {
    const m = /^#\/\$defs\/([A-Za-z0-9_]+)$/.exec(ref);
    if (!m || !(m[1] in defs)) throw new Error(`${where}: unsupported $ref ${ref}`);
    return m[1];
  }

  // The definitions each definition refers to, and those on a cycle (which need a function).
  function refsIn(schema, out = new Set()) {
    if (schema && typeof schema === 'object') {
      if (typeof schema.$ref === 'string') out.add(defName(schema.$ref, label));
      for (const [k, sub] of Object.entries(schema)) if (k !== '$defs' && sub && typeof sub === 'object') refsIn(sub, out);
    }
    return out;
  }
  const edges = new Map(Object.keys(defs).map((d) => [d, refsIn(defs[d])]));
  const reaches = (from, to, seen = new Set()) => {
    for (const d of edges.get(from)) {
      if (d === to) return true;
      if (!seen.has(d)) {
        seen.add(d);
        if (reaches(d, to, seen)) return true;
      }
    }
    return false;
  };
  const cyclic = new Set(Object.keys(defs).filter((d) => reaches(d, d)));
  // Two definitions on one cycle: one may be inlined into the other's function.
  const sameCycle = (a, b) => a === b || (reaches(a, b) && reaches(b, a));

  /** The function checking definition `name` (generated once). */
  function defFunction(name) {
    if (!defFunctions.has(name)) {
      const fn = `def_${name}`;
      defFunctions.set(name, fn);
      const body = [];
      gen(defs[name], 'v', 'return false;', body, '  ', {}, { fn: name, inline: [name] }, `${label}#/$defs/${name}`);
      functions.push(`function ${fn}(v) {\n${body.join('\n')}\n  return true;\n}`);
    }
    return defFunctions.get(name);
  }

  /**
   * What is known of a value for a schema other than the alternative a switch chose by its
   * tag: the tag's value satisfied that alternative's property, not necessarily this one's.
   */
  const untagged = (known) => ({ type: known.type, present: known.present });

  /** The schema an alternative stands for: a lone $ref is read through. */
  function resolved(schema) {
    if (schema && typeof schema === 'object' && Object.keys(schema).length === 1 && typeof schema.$ref === 'string') return resolved(defs[defName(schema.$ref, label)]);
    return schema;
  }

  /** Can the value undefined pass `schema`? (False lets a required key skip its own undefined test.) */
  function admitsUndefined(schema) {
    const s = resolved(schema);
    if (s === false) return false;
    if (s === true || typeof s !== 'object') return true;
    return !(s.type !== undefined || 'const' in s || s.enum !== undefined);
  }

  /**
   * Lines checking the value in variable `v` against `schema`, running `fail` (a statement
   * that leaves the check) at the first mismatch. `known` holds what is already established
   * of `v` (its type, a tag key a switch chose); `scope` the definition whose function is
   * being written and the definitions inlined on the way here.
   */
  function gen(schema, v, fail, out, ind, known, scope, where) {
    const line = (text) => out.push(ind + text);
    if (schema === true) return;
    if (schema === false) return line(fail);
    for (const k of Object.keys(schema)) {
      if (!KEYWORDS.has(k) && !ANNOTATIONS.has(k) && !(k === '$defs' && schema === root)) throw new Error(`${where}: unsupported keyword ${k}`);
    }
    if (schema.$ref !== undefined) {
      const name = defName(schema.$ref, where);
      if (cyclic.has(name) && !(scope.fn !== undefined && sameCycle(name, scope.fn) && !scope.inline.includes(name))) {
        line(`if (!${defFunction(name)}(${v})) ${fail}`);
      } else {
        // What a switch's tag proved holds for this schema's own properties: through a lone
        // $ref, the definition's; beside other keywords, the definition is another schema.
        const lone = Object.keys(schema).every((k) => k === '$ref' || ANNOTATIONS.has(k));
        gen(defs[name], v, fail, out, ind, lone ? known : untagged(known), { ...scope, inline: [...scope.inline, name] }, `${label}#/$defs/${name}`);
      }
    }
    let type = known.type;
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      for (const t of types) if (!TYPE_TEST[t]) throw new Error(`${where}: unknown type ${t}`);
      if (!(types.length === 1 && types[0] === known.type)) line(`if (!(${types.length === 1 ? TYPE_TEST[types[0]](v) : types.map((t) => `(${TYPE_TEST[t](v)})`).join(' || ')})) ${fail}`);
      if (types.length === 1) type = types[0];
    }
    if ('const' in schema) line(`if (${v} !== ${primitive(schema.const, where)}) ${fail}`);
    if (schema.enum !== undefined) line(`if (${schema.enum.map((e) => `${v} !== ${primitive(e, where)}`).join(' && ')}) ${fail}`);
    if (schema.anyOf !== undefined) alternatives(schema.anyOf, false, 'anyOf');
    if (schema.oneOf !== undefined) alternatives(schema.oneOf, true, 'oneOf');

    function alternatives(alts, exactlyOne, keyword) {
      const tag = discriminator(alts);
      const keys = tag ? undefined : ownKeys(alts);
      const types = tag || keys ? undefined : disjointTypes(alts);
      if (tag) {
        // Only the alternative whose tag value the document carries can match, so exactly one
        // matches when that one does: one test per node instead of one per alternative.
        if (type !== 'object') line(`if (!(${TYPE_TEST.object(v)})) ${fail}`);
        line(`switch (${member(v, tag.key)}) {`);
        alts.forEach((s, i) => {
          for (const value of tag.values[i]) line(`  case ${primitive(value, where)}:`);
          line('  {');
          gen(s, v, fail, out, ind + '    ', { type: 'object', tag: tag.key }, scope, `${where}/${keyword}/${i}`);
          line('    break;');
          line('  }');
        });
        line(`  default: ${fail}`);
        line('}');
      } else if (keys) {
        // Closed objects each requiring a key no other alternative allows ({lit}, {ref}, {list}):
        // the key a document carries names the one alternative that can match.
        if (type !== 'object') line(`if (!(${TYPE_TEST.object(v)})) ${fail}`);
        alts.forEach((s, i) => {
          line(`${i ? '} else ' : ''}if (${member(v, keys[i])} !== undefined) {`);
          gen(s, v, fail, out, ind + '  ', { type: 'object', present: keys[i] }, scope, `${where}/${keyword}/${i}`);
        });
        line(`} else ${fail}`);
      } else if (types) {
        // Alternatives of types no value has two of (string, number, null, ...): the value's
        // type names the one alternative that can match.
        alts.forEach((s, i) => {
          line(`${i ? '} else ' : ''}if (${TYPE_TEST[types[i]](v)}) {`);
          gen(s, v, fail, out, ind + '  ', { type: types[i] }, scope, `${where}/${keyword}/${i}`);
        });
        line(`} else ${fail}`);
      } else if (exactlyOne) {
        // Exactly one: each alternative in a block of its own, left at its first mismatch.
        const count = `matched${temps++}`;
        line(`let ${count} = 0;`);
        alts.forEach((s, i) => {
          const label = `alt${temps++}`;
          line(`${label}: {`);
          gen(s, v, `break ${label};`, out, ind + '  ', untagged(known), scope, `${where}/${keyword}/${i}`);
          line(`  ${count}++;`);
          line('}');
        });
        line(`if (${count} !== 1) ${fail}`);
      } else {
        // Any one: the first alternative that matches ends the test.
        const done = `any${temps++}`;
        line(`${done}: {`);
        alts.forEach((s, i) => {
          const label = `alt${temps++}`;
          line(`  ${label}: {`);
          gen(s, v, `break ${label};`, out, ind + '    ', untagged(known), scope, `${where}/${keyword}/${i}`);
          line(`    break ${done};`);
          line('  }');
        });
        line(`  ${fail}`);
        line('}');
      }
    }

    const objectKeys = ['required', 'properties', 'additionalProperties', 'dependentSchemas'].filter((k) => k in schema);
    if (objectKeys.length) {
      // These keywords say nothing about a value that is not an object.
      let inner = ind;
      if (type !== 'object') {
        line(`if (${TYPE_TEST.object(v)}) {`);
        inner = ind + '  ';
      }
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      for (const key of required) if (!(key in props)) out.push(`${inner}if (${member(v, key)} === undefined) ${fail}`);
      for (const [key, sub] of Object.entries(props)) {
        if (key === known.tag) continue; // the switch that chose this alternative tested it
        if (sub === true) {
          if (required.has(key)) out.push(`${inner}if (${member(v, key)} === undefined) ${fail}`);
          continue;
        }
        if (sub === false) {
          out.push(required.has(key) ? `${inner}${fail}` : `${inner}if (${member(v, key)} !== undefined) ${fail}`);
          continue;
        }
        const x = `p${temps++}`;
        out.push(`${inner}const ${x} = ${member(v, key)};`);
        if (required.has(key)) {
          // The key that chose this alternative of a oneOf is there.
          if (admitsUndefined(sub) && key !== known.present) out.push(`${inner}if (${x} === undefined) ${fail}`);
          gen(sub, x, fail, out, inner, {}, scope, `${where}/properties/${key}`);
        } else {
          out.push(`${inner}if (${x} !== undefined) {`);
          gen(sub, x, fail, out, inner + '  ', {}, scope, `${where}/properties/${key}`);
          out.push(`${inner}}`);
        }
      }
      if ('additionalProperties' in schema && schema.additionalProperties !== true) {
        const k = `k${temps++}`;
        const known = Object.keys(props).map((p) => `${k} !== ${JSON.stringify(p)}`).join(' && ');
        if (schema.additionalProperties === false) {
          out.push(`${inner}for (const ${k} in ${v}) if (${known || 'true'}) ${fail}`);
        } else {
          out.push(`${inner}for (const ${k} in ${v}) {`);
          if (known) out.push(`${inner}  if (!(${known})) continue;`);
          const x = `p${temps++}`;
          out.push(`${inner}  const ${x} = ${v}[${k}];`);
          gen(schema.additionalProperties, x, fail, out, inner + '  ', {}, scope, `${where}/additionalProperties`);
          out.push(`${inner}}`);
        }
      }
      for (const [key, sub] of Object.entries(schema.dependentSchemas ?? {})) {
        out.push(`${inner}if (${member(v, key)} !== undefined) {`);
        gen(sub, v, fail, out, inner + '  ', { type: 'object' }, scope, `${where}/dependentSchemas/${key}`);
        out.push(`${inner}}`);
      }
      if (type !== 'object') line('}');
    }
    if (['items', 'minItems', 'uniqueItems'].some((k) => k in schema)) {
      let inner = ind;
      if (type !== 'array') {
        line(`if (Array.isArray(${v})) {`);
        inner = ind + '  ';
      }
      if (schema.minItems !== undefined) out.push(`${inner}if (${v}.length < ${Number(schema.minItems)}) ${fail}`);
      if (schema.items !== undefined && schema.items !== true) {
        const i = `i${temps++}`;
        const x = `p${temps++}`;
        out.push(`${inner}for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {`);
        out.push(`${inner}  const ${x} = ${v}[${i}];`);
        gen(schema.items, x, fail, out, inner + '  ', {}, scope, `${where}/items`);
        out.push(`${inner}}`);
      }
      if (schema.uniqueItems === true) out.push(`${inner}if (!uniqueItems(${v})) ${fail}`);
      if (type !== 'array') line('}');
    }
    if (schema.minLength !== undefined || schema.pattern !== undefined) {
      let inner = ind;
      if (type !== 'string') {
        line(`if (typeof ${v} === 'string') {`);
        inner = ind + '  ';
      }
      // Lengths count code points, as JSON Schema does, not UTF-16 units.
      const min = schema.minLength;
      // At most one code point needed: any UTF-16 unit is at least part of one.
      if (min !== undefined) out.push(min <= 1 ? `${inner}if (${v}.length < ${Number(min)}) ${fail}` : `${inner}if (${v}.length < ${Number(min)} || codePoints(${v}) < ${Number(min)}) ${fail}`);
      if (schema.pattern !== undefined) out.push(`${inner}if (!${patternName(schema.pattern)}.test(${v})) ${fail}`);
      if (type !== 'string') line('}');
    }
    if (schema.minimum !== undefined) {
      const numeric = type === 'number' || type === 'integer';
      line(numeric ? `if (!(${v} >= ${Number(schema.minimum)})) ${fail}` : `if (typeof ${v} === 'number' && !(${v} >= ${Number(schema.minimum)})) ${fail}`);
    }
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

  /**
   * For alternatives each of one JSON type, no two of which a value can have at once (number
   * and integer overlap), those types; undefined otherwise.
   */
  function disjointTypes(alternatives) {
    const types = alternatives.map((a) => {
      const s = resolved(a);
      return s && typeof s === 'object' && typeof s.type === 'string' ? s.type : undefined;
    });
    if (types.some((t) => t === undefined)) return undefined;
    const numeric = types.filter((t) => t === 'number' || t === 'integer').length;
    return new Set(types).size === types.length && numeric <= 1 ? types : undefined;
  }

  const body = [];
  gen(root, 'v', 'return false;', body, '  ', {}, { fn: undefined, inline: [] }, label);
  functions.push(`function check(v) {\n${body.join('\n')}\n  return true;\n}`);
  const patternSource = [...patterns].map(([source, name]) => `const ${name} = new RegExp(${JSON.stringify(source)}, 'u');`);
  return { entry: 'check', source: [...patternSource, ...functions].join('\n') };
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

/**
 * JavaScript source of an expression whose value is the generated check of `schema`, with the
 * helpers it uses: how tests hold the generator to ajv on schemas other than the IR's.
 */
export function checkExpressionSource(schema, label = 'schema') {
  const { entry, source } = compileSchema(schema, label);
  return `(() => {\n${HELPERS}\n${source}\nreturn ${entry};\n})()`;
}

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
