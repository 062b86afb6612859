// The default suite (npm test, CI). The million-frame fuzz run lives in
// *.slow.test.ts files and runs only with vitest.slow.config.ts (npm run test:slow).
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, '**/*.slow.test.ts'],
  },
});
