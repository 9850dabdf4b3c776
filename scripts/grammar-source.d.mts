/** Compiles nearley grammar text to the TypeScript parser module we check in. */
export function generateGrammarSource(text: string): string;
