import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { IRDocument } from './types.js';
import { checkIRv1, checkIRv2, type SchemaCheck as PrecompiledCheck } from './schema-check.generated.js';

// The schemas in schemas/ are the published contracts; they are loaded from the
// package at run time so the shipped file and the one we validate with cannot differ.
const schemaDir = fileURLToPath(new URL('../../schemas/', import.meta.url));

/**
 * A schema checked in two gears: a validator that stops at the first error answers
 * "valid?" (a valid document pays no error collection, and `oneOf` branches that do
 * not match stop early), and only a document that fails is checked again with every
 * error collected, for the message. The IR schemas' first gear is generated at build
 * time (src/ir/schema-check.generated.ts, held equal to schemas/ by a test), so compiling
 * a valid document never loads ajv; everything else is compiled on first use.
 */
interface SchemaCheck {
  name: string;
  fast?: PrecompiledCheck | ValidateFunction;
  full?: ValidateFunction;
}

const irCheck: SchemaCheck = { name: 'aex-ir.schema.json', fast: checkIRv1 };
const irV2Check: SchemaCheck = { name: 'aex-ir-v2.schema.json', fast: checkIRv2 };
const irV0Check: SchemaCheck = { name: 'aex-ir-v0.schema.json' };
const policyCheck: SchemaCheck = { name: 'policy.schema.json' };

function load(name: string): object {
  return JSON.parse(readFileSync(schemaDir + name, 'utf8')) as object;
}

// ajv is loaded on first need, synchronously (its build is CommonJS).
const require = createRequire(import.meta.url);
let ajvClass: typeof import('ajv/dist/2020.js').Ajv2020 | undefined;

function compile(name: string, allErrors: boolean): ValidateFunction {
  ajvClass ??= (require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020;
  const ajv = new ajvClass({ strict: true, allErrors });
  return ajv.compile(load(name));
}

function check(c: SchemaCheck, doc: unknown): { valid: boolean; errors: SchemaError[] } {
  c.fast ??= compile(c.name, false);
  if (c.fast(doc)) return { valid: true, errors: [] };
  c.full ??= compile(c.name, true);
  const valid = c.full(doc) as boolean;
  return { valid, errors: valid ? [] : toErrors(c.full.errors) };
}

export interface SchemaError {
  path: string;
  message: string;
}

function toErrors(errors: ErrorObject[] | null | undefined): SchemaError[] {
  return (errors ?? []).map((e) => ({
    path: e.instancePath || '/',
    message: `${e.message ?? 'invalid'}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`,
  }));
}

/**
 * Validates an IR document: `aex-ir/2` against schemas/aex-ir-v2.schema.json, anything
 * else against schemas/aex-ir.schema.json (v1). Executors accept both (docs/design.md#the-ir-contract).
 */
export function validateIR(doc: unknown): { valid: boolean; errors: SchemaError[] } {
  const v2 = typeof doc === 'object' && doc !== null && (doc as { irVersion?: unknown }).irVersion === 'aex-ir/2';
  return v2 ? validateIRv2(doc) : validateIRv1(doc);
}

/** Validates a document against schemas/aex-ir.schema.json (IR v1 only). */
export function validateIRv1(doc: unknown): { valid: boolean; errors: SchemaError[] } {
  return check(irCheck, doc);
}

/** Validates a document against schemas/aex-ir-v2.schema.json (IR v2 only). */
export function validateIRv2(doc: unknown): { valid: boolean; errors: SchemaError[] } {
  return check(irV2Check, doc);
}

export function isIRDocument(doc: unknown): doc is IRDocument {
  return validateIR(doc).valid;
}

/** Validates a legacy (v0) document against schemas/aex-ir-v0.schema.json. */
export function validateIRv0(doc: unknown): { valid: boolean; errors: SchemaError[] } {
  return check(irV0Check, doc);
}

/** Validates a JSON policy file's parsed contents against schemas/policy.schema.json. */
export function validatePolicyJson(doc: unknown): { valid: boolean; errors: SchemaError[] } {
  return check(policyCheck, doc);
}
