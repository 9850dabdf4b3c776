import { defineConfig } from 'vitest/config';

// The real-client suite (npm run test:hosts → scripts/test-hosts.mjs). Its files end in
// .e2e.ts so the default `vitest run` (tests/**/*.test.ts) never starts a real client.
export default defineConfig({
  test: {
    include: ['tests/hosts/**/*.e2e.ts'],
    globalSetup: ['tests/stale-dist.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Each client is a heavy process; one file at a time on a small machine.
    fileParallelism: false,
    // A real client may miss its own start-up window under load (Codex offers an MCP server's
    // tools only once the server has started); a case gets one more try, and a second failure fails.
    retry: 1,
  },
});
