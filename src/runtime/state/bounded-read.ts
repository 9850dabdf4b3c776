// Moved to src/io/bounded-read.ts (a leaf the compiler may import); kept until work in flight is updated.
export * from '../../io/bounded-read.js';
