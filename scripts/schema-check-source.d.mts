/** The schemas whose first-error checks are generated ahead of time. */
export const PRECOMPILED: ReadonlyArray<{ name: string; schema: string }>;
/** TypeScript source of src/ir/schema-check.generated.ts, from the schemas in `schemaDir` (ending in '/'). */
export function generateSchemaCheckSource(schemaDir: string): string;
/** JavaScript source of an expression whose value is the generated check of `schema` (true when valid). */
export function checkExpressionSource(schema: unknown, label?: string): string;
