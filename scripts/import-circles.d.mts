/** Each file → the files it imports (absolute paths; relative specifiers only). */
export function importGraph(dir: string, options?: { types?: boolean }): Map<string, string[]>;
/** Every group of two or more files under `dir` that import one another (paths relative to `dir`). */
export function importCircles(dir: string, options?: { types?: boolean }): { files: number; circles: string[][] };
