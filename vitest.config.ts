import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    globalSetup: ['tests/parity/next-install.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
