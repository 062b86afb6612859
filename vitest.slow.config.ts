// The slow suite (npm run test:slow): long fuzz runs, at least a million frames
// on the Node token handler. FUZZ_FRAMES sets the target, FUZZ_SEED the seed.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.slow.test.ts'],
    testTimeout: 2 * 60 * 60 * 1000,
  },
});
