import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: the slow proofs (packed tarball under ESLint 9 and 10, the crash test over
// installed packages). Their files end in `.spec.ts` so that `npm test` does not pick them up.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.spec.ts', 'tests/crash/**/*.spec.ts'],
    globalSetup: ['tests/e2e/pack.ts'],
    // The end-to-end file mostly waits for npm and ESLint processes; the crash shards need a core each.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
