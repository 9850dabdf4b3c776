import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Refuses a dist/ older than its sources: tests that run bin/aex.js would test old code.
    globalSetup: ['tests/stale-dist.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
