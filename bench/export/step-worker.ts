/**
 * Child process of the export benchmark (export-steps.ts), run by Node itself (type stripping, no tsx, so
 * nothing but the worker's bundle is loaded): imports the export worker's minified bundle as Lambda would and
 * invokes it with one step event, then, for a scan-segment, again with each cursor it answers until the segment
 * is done, as the state machine's Choice loops it in one warm container. Reports each call's wall time and the
 * process's peak resident set size.
 */
import { readFileSync } from 'node:fs';

/** What the parent passes in the file `BENCH_INPUT_FILE` names. */
export interface StepWorkerInput {
  bundle: string;
  event: { step: string; [field: string]: unknown };
}

/** What the worker sends back. */
export interface StepWorkerOutput {
  /** Wall time of each invocation, in ms (a plan or finish is one; a segment is one per Scan page batch). */
  callMs: number[];
  /** RSS and live heap after each invocation, in MB: climbing from call to call would be memory kept. */
  callRssMb: number[];
  callHeapMb: number[];
  /** Peak RSS of the process, import and every call included, in MB. */
  maxRssMb: number;
  /** Live heap after a forced full GC once every call is done, in MB: what the process still holds. */
  liveHeapMb: number;
  /** The last answer (`done`, `status`, the plan's segments). */
  result: unknown;
  error?: string;
}

const input = JSON.parse(readFileSync(process.env.BENCH_INPUT_FILE as string, 'utf8')) as StepWorkerInput;
const { handler } = (await import(input.bundle)) as {
  handler: (event: unknown, context: unknown) => Promise<unknown>;
};
const context = {
  functionName: 'export-worker',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:export-worker',
  memoryLimitInMB: '1024',
  awsRequestId: '',
  logGroupName: '/aws/lambda/export-worker',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 300_000,
};
const callMs: number[] = [];
const callRssMb: number[] = [];
const callHeapMb: number[] = [];
let event: Record<string, unknown> = input.event;
let result: unknown;
let error: string | undefined;
try {
  for (;;) {
    const started = performance.now();
    result = await handler(event, { ...context, awsRequestId: crypto.randomUUID() });
    callMs.push(performance.now() - started);
    const { rss, heapUsed } = process.memoryUsage();
    callRssMb.push(rss / 2 ** 20);
    callHeapMb.push(heapUsed / 2 ** 20);
    const answer = result as { done?: boolean; cursor?: string };
    if (input.event.step !== 'scan-segment' || answer.done) break;
    // As the state machine passes it on: the answer's fields but `done`, with the step named again.
    const { done: _, ...next } = answer;
    event = { ...next, step: 'scan-segment' };
  }
} catch (e) {
  error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
const maxRssMb = process.resourceUsage().maxRSS / 1024;
(globalThis as { gc?: () => void }).gc?.();
const output: StepWorkerOutput = {
  callMs,
  callRssMb,
  callHeapMb,
  maxRssMb,
  liveHeapMb: process.memoryUsage().heapUsed / 2 ** 20,
  result,
  ...(error ? { error } : {}),
};
process.send?.(output, () => process.exit(0));
