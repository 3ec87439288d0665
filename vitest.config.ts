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
          sequence: { groupOrder: 1 },
        },
      },
      // Reads what the sandbox logged while every other test ran: `npm test` runs it after the main project.
      {
        extends: true,
        // A later group than main's, explicitly numbered: vitest runs projects side by side without one, and
        // puts a default-ordered project on one worker after every numbered group.
        test: { name: 'logs', include: ['test/logs/**/*.test.ts'], sequence: { groupOrder: 2 } },
      },
    ],
  },
});
