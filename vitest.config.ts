import { defineConfig } from 'vitest/config';

// Projects by what their tests need, chosen by folder so a new file lands in the right one. Groups run in
// order; projects in one group share its workers, so only projects with the same worker count share a group.
// Sandbox tests wait on pollers that a loaded machine slows down: each test gets room for two of
// test/support/eventually.ts's waits, and a passing test still ends as soon as its conditions hold.
const sandboxed = {
  globalSetup: ['test/support/global-setup.ts'],
  setupFiles: ['test/support/sandbox-env.ts'],
  testTimeout: 240_000,
};

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      // Pure logic: no sandbox, no network, no Java.
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], sequence: { groupOrder: 1 } },
      },
      // HTTP and the emulators of one shared sandbox; every test touches only its own patients, keys and objects,
      // so this project runs with any number of workers.
      {
        extends: true,
        test: {
          name: 'sandbox',
          include: ['test/e2e/**/*.test.ts', 'test/integration/**/*.test.ts'],
          ...sandboxed,
          sequence: { groupOrder: 1 },
        },
      },
      // CDK assertions: one worker that keeps its modules between files, so each ICB is synthesized once
      // (test/support/synthesized-icb.ts).
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          isolate: false,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      // Tests that flip the sandbox-wide fault switches: their own sandbox, one file at a time.
      {
        extends: true,
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          ...sandboxed,
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
      // Reads what the sandboxes logged while the other tests ran: `npm test` runs it after they have stopped.
      {
        extends: true,
        test: { name: 'logs', include: ['test/logs/**/*.test.ts'], sequence: { groupOrder: 4 } },
      },
    ],
  },
});
