import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { IRDocument } from './types.js';

// The schemas in schemas/ are the published contracts; they are loaded from the
// package at run time so the shipped file and the one we validate with cannot differ.
const schemaDir = fileURLToPath(new URL('../../schemas/', import.meta.url));

let irValidator: ValidateFunction | undefined;
let irV2Validator: ValidateFunction | undefined;
let irV0Validator: ValidateFunction | undefined;
let policyValidator: ValidateFunction | undefined;

function load(name: string): object {
  return JSON.parse(readFileSync(schemaDir + name, 'utf8')) as object;
}

function compile(name: string): ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  return ajv.compile(load(name));
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
 * else against schemas/aex-ir.schema.json (v1). Executors accept both (SPEC-2 D16).
 */
export function validateIR(doc: unknown): { valid: boolean; errors: SchemaError[] } {
  const v2 = typeof doc === 'object' && doc !== null && (doc as { irVersion?: unknown }).irVersion === 'aex-ir/2';
  return v2 ? validateIRv2(doc) : validateIRv1(doc);
}

/** Validates a document against schemas/aex-ir.schema.json (IR v1 only). */
export function validateIRv1(doc: unknown): { valid: boolean; errors: SchemaError[] } {
  irValidator ??= compile('aex-ir.schema.json');
  const valid = irValidator(doc) as boolean;
  return { valid, errors: valid ? [] : toErrors(irValidator.errors) };
}

/** Validates a document against schemas/aex-ir-v2.schema.json (IR v2 only). */
export function validateIRv2(doc: unknown): { valid: boolean; errors: SchemaError[] } {
  irV2Validator ??= compile('aex-ir-v2.schema.json');
  const valid = irV2Validator(doc) as boolean;
  return { valid, errors: valid ? [] : toErrors(irV2Validator.errors) };
}

export function isIRDocument(doc: unknown): doc is IRDocument {
  return validateIR(doc).valid;
}

/** Validates a legacy (v0) document against schemas/aex-ir-v0.schema.json. */
export function validateIRv0(doc: unknown): { valid: boolean; errors: SchemaError[] } {
  irV0Validator ??= compile('aex-ir-v0.schema.json');
  const valid = irV0Validator(doc) as boolean;
  return { valid, errors: valid ? [] : toErrors(irV0Validator.errors) };
}

/** Validates a JSON policy file's parsed contents against schemas/policy.schema.json. */
export function validatePolicyJson(doc: unknown): { valid: boolean; errors: SchemaError[] } {
  policyValidator ??= compile('policy.schema.json');
  const valid = policyValidator(doc) as boolean;
  return { valid, errors: valid ? [] : toErrors(policyValidator.errors) };
}
