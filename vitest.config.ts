import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: ['test/logs/**'],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/sandbox-env.ts'],
        },
      },
      // Reads what the sandbox logged while every other test ran: `npm test` runs it after the main project.
      { extends: true, test: { name: 'logs', include: ['test/logs/**/*.test.ts'] } },
    ],
  },
});
