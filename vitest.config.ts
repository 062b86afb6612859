// The default suite (npm test, CI). The million-frame fuzz run lives in
// *.slow.test.ts files and runs only with vitest.slow.config.ts (npm run test:slow).
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, '**/*.slow.test.ts'],
    // Four files at once on two cores: most suites wait (a token's 1 s settle time,
    // presence timeouts, a browser, a pty) rather than compute. Measured here: the
    // whole suite 419 s with the default two workers, 165 s with four, all green.
    maxWorkers: 4,
    // A test's time limit is a hang guard, not a speed claim (those are `npm run bench`): under
    // that load a test that takes 0.3 s alone (test/enroll/fleet.test.ts) once took over the
    // 5 s default in a clean-clone CI run here.
    testTimeout: 30000,
  },
});
