import type { FunctionName } from './functions.ts';

/**
 * The bulk export workflow (CONTRACT §8), declared once: the CDK stack makes a Step Functions state machine of
 * it and the sandbox's `local/export-runner.ts` runs the same steps in process, in the same order:
 * Task(plan) → Map over `segments` { Task(scan-segment), looped by a Choice until `done` } → Task(finish);
 * a Catch on each Task → Task(fail). The steps' events and results are `shared/export/export-steps.ts`.
 */
export const exportWorkflow = {
  name: 'BulkExport',
  worker: 'export-worker' satisfies FunctionName,
  /** Parallel Scan segments at most (plan picks fewer for a small table); the Map state runs them with this concurrency. */
  segments: 16,
  maxConcurrency: 8,
} as const;
