export * from './types.js';
export { validateIR, validateIRv1, validateIRv2, validateIRv0, validatePolicyJson, isIRDocument } from './validate.js';
export type { SchemaError } from './validate.js';
