/**
 * Child process of the peak-memory benchmark (peak-memory.ts), run by Node itself (type stripping, no tsx,
 * so nothing but the function's bundle is loaded): imports one minified bundle, as Lambda would, invokes its
 * handler over the given events round-robin, then reports the process's peak resident set size.
 */
import { readFileSync } from 'node:fs';

/** What the parent passes in the file `BENCH_INPUT_FILE` names. */
export interface RssWorkerInput {
  bundle: string;
  functionName: string;
  events: unknown[];
  /** Statuses a proxy result may have; other results count as errors. Empty for non-HTTP functions. */
  okStatuses: number[];
  iterations: number;
  /** A token in the events that stands for an id made anew at each invocation. */
  freshId: string;
}

const input = JSON.parse(readFileSync(process.env.BENCH_INPUT_FILE as string, 'utf8')) as RssWorkerInput;
const { handler } = (await import(input.bundle)) as {
  handler: (event: unknown, context: unknown) => Promise<unknown>;
};
const context = {
  functionName: input.functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:${input.functionName}`,
  memoryLimitInMB: '256',
  awsRequestId: '',
  logGroupName: `/aws/lambda/${input.functionName}`,
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
};
// A PUT needs the version the last answer for its path gave (If-Match), as a client chains them.
const versions = new Map<string, string>();
let errors = 0;
let firstError = '';
const started = performance.now();
// Events are kept as text: each invocation parses its own copy, with fresh ids where the load asks.
const templates = input.events.map((e) => JSON.stringify(e));
for (let i = 0; i < input.iterations; i++) {
  const template = templates[i % templates.length] as string;
  const event = JSON.parse(template.replaceAll(input.freshId, () => crypto.randomUUID())) as {
    httpMethod?: string;
    path?: string;
    headers?: Record<string, string>;
  };
  if (event.httpMethod === 'PUT' && event.path && versions.has(event.path) && event.headers) {
    event.headers['If-Match'] = versions.get(event.path) as string;
  }
  try {
    const result = (await handler(event, { ...context, awsRequestId: crypto.randomUUID() })) as
      | {
          statusCode?: number;
          headers?: Record<string, string>;
          body?: string;
          batchItemFailures?: unknown[];
        }
      | undefined;
    const failed =
      (input.okStatuses.length > 0 && !input.okStatuses.includes(result?.statusCode ?? 0)) ||
      (result?.batchItemFailures?.length ?? 0) > 0;
    if (failed) {
      errors++;
      firstError ||= JSON.stringify(result).slice(0, 400);
    }
    const etag = result?.headers?.ETag;
    if (etag && event.path) versions.set(event.path, etag);
  } catch (e) {
    errors++;
    firstError ||= String(e);
  }
}
const maxRssMb = process.resourceUsage().maxRSS / 1024;
const atEnd = process.memoryUsage();
(globalThis as { gc?: () => void }).gc?.();
process.send?.(
  {
    maxRssMb,
    liveHeapMb: process.memoryUsage().heapUsed / 2 ** 20,
    rssMb: atEnd.rss / 2 ** 20,
    heapUsedMb: atEnd.heapUsed / 2 ** 20,
    invocations: input.iterations,
    errors,
    firstError,
    seconds: (performance.now() - started) / 1000,
  },
  () => process.exit(0),
);
