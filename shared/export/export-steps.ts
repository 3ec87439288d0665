/**
 * The bulk export workflow's steps (shared/service/workflows.ts): the export worker's event and result for each,
 * as the state machine and the sandbox's runner pass them.
 */

/** Marks the job running and answers one entry per parallel Scan segment. */
export interface PlanStep {
  step: 'plan';
  exportId: string;
}
export interface PlanResult {
  exportId: string;
  segments: { segment: number; totalSegments: number }[];
}

/**
 * Reads a bounded number of Scan pages of one segment from `cursor` (the opaque `LastEvaluatedKey`), writes
 * what it read as NDJSON part files and counts them on the job; `done` when the segment is finished or the job
 * was cancelled. The state machine loops it until `done`.
 */
export interface ScanSegmentStep {
  step: 'scan-segment';
  exportId: string;
  segment: number;
  totalSegments: number;
  cursor?: string;
}
export interface ScanSegmentResult {
  exportId: string;
  segment: number;
  totalSegments: number;
  cursor?: string;
  done: boolean;
}

/** Writes the manifest onto the job and audits the export. */
export interface FinishStep {
  step: 'finish';
  exportId: string;
}
export interface FinishResult {
  exportId: string;
  status: 'completed' | 'cancelled';
}

/** Marks the job failed (the state machine's Catch), so polling answers 500 with an OperationOutcome. */
export interface FailStep {
  step: 'fail';
  exportId: string;
  /** What the Catch caught: Step Functions gives `{ Error, Cause }`. */
  error: unknown;
}
export interface FailResult {
  exportId: string;
  status: 'failed';
}

export type ExportStep = PlanStep | ScanSegmentStep | FinishStep | FailStep;

/** The result of each step, by its name. */
export interface ExportStepResults {
  plan: PlanResult;
  'scan-segment': ScanSegmentResult;
  finish: FinishResult;
  fail: FailResult;
}
