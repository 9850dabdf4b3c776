/** The schemas whose first-error checks are generated ahead of time. */
export const PRECOMPILED: ReadonlyArray<{ name: string; schema: string }>;
/** TypeScript source of src/ir/schema-check.generated.ts, from the schemas in `schemaDir` (ending in '/'). */
export function generateSchemaCheckSource(schemaDir: string): string;
