import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests bind real sockets and spawn dig and knotd; running
    // files in parallel on a 2-core machine makes their timing flaky.
    fileParallelism: false,
  },
});
