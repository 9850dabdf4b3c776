export * from './types.js';
export { validateIR, validateIRv0, validatePolicyJson, isIRDocument } from './validate.js';
export type { SchemaError } from './validate.js';
