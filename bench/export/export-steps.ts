import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  type DynamoDBClient,
  ExportTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '#local/dynamodb-local';
import { startS3Local } from '#local/s3-local';
import { DEFINITIONS_FOLDER, definitionsFolder } from '#shared/fhir/definitions/definitions-folder';
import { functions } from '#shared/service/functions';
import { exportWorkflow } from '#shared/service/workflows';
import { atMost, budgets, type Checked } from '../budgets.ts';
import { buildLikeLambda } from '../cold-start/bundles.ts';
import { FILLER_TYPES, fillerItems } from '../scale/record-items.ts';
import { loadItems } from '../scale/table-loader.ts';
import { accessToken } from '../support/access-token.ts';
import { tmpDir } from '../support/bench-paths.ts';
import { nhsNumbers } from '../support/fixtures.ts';
import { handlerEnvironment } from '../support/handler-environment.ts';
import { localRecordTable } from '../support/local-record-table.ts';
import type { SandboxProcess } from '../support/sandbox-process.ts';
import { round, summarise } from '../support/stats.ts';
import { runWorker } from '../support/worker-process.ts';
import type { ExportApiWorkerInput, ExportApiWorkerOutput } from './export-api-worker.ts';
import type { StepWorkerInput, StepWorkerOutput } from './step-worker.ts';

/** One kind of step across an export: its invocations' wall times and the largest peak RSS of its processes. */
export interface ExportStepFigures {
  step: 'plan' | 'scan-segment' | 'finish';
  /** Processes run (a plan and a finish are one each; a segment is one warm process looping its calls). */
  processes: number;
  calls: number;
  medianMs: number;
  maxMs: number;
  totalMs: number;
  /** The largest peak RSS of any of its processes, in MB (import included). */
  peakRssMb: number;
  /** RSS after the first and after the last call of its longest-running process, in MB. */
  rssAfterFirstCallMb: number;
  rssAfterLastCallMb: number;
  /** Heap in use after the first and the last call of that process, and its live heap after a full GC at the end. */
  heapAfterFirstCallMb: number;
  heapAfterLastCallMb: number;
  liveHeapAtEndMb: number;
}

/** One export of a table with so many patients. */
export interface ExportTier {
  patients: number;
  items: number;
  /** The table's size as DynamoDB Local reports it (DescribeTable), in MB: what a native export is priced on. */
  tableMb: number;
  loadSeconds: number;
  /** The Scan segments plan split the table into (as many as it needs, at most the declared number). */
  segments: number;
  /** From the plan's start to the finish's end, segments `concurrency` at a time. */
  exportSeconds: number;
  steps: ExportStepFigures[];
  /** The manifest's files by type, with their counts where the manifest gives them. */
  output: { type: string; count?: number }[];
  finishStatus: string;
}

export interface ExportFigures {
  measuredAt: string;
  /** The most segments plan may give (the declared number). */
  segments: number;
  /** Segments in flight at once here (the state machine runs `exportWorkflow.maxConcurrency` on AWS). */
  concurrency: number;
  resourcesPerPatient: number;
  tiers: ExportTier[];
  /** Tiers not run because loading them would have overrun the time allowed. */
  skipped: number[];
  /** What DynamoDB Local answered to ExportTableToPointInTime (native export), asked once per run. */
  nativeExportAnswer: string;
}

const TABLE = 'shared-care-record-export';
const BUCKET = 'shared-care-record-export-documents';
/** A filler patient's record: the types a population-health export is mostly about. */

/**
 * The bulk export part: a DynamoDB Local (in memory) and an S3 server of its own, filler patients loaded to each
 * tier with the scale part's loader, then one system-level export kicked off through the bulk-export function as
 * the analyst client (Step Functions stubbed) and its steps run as the state machine runs them, each in a Node
 * process of its own importing the export worker's Lambda bundle: plan, every segment (a warm process looping
 * its scan-segment calls until done), finish. Each step's wall time and peak RSS are the figures.
 */
export async function measureExport(
  sandbox: SandboxProcess,
  options: { tiers: number[]; concurrency: number; maxLoadSeconds: number },
): Promise<ExportFigures> {
  const bundle = join(tmpDir, 'export', 'export-worker', 'index.mjs');
  await buildLikeLambda(functions['export-worker'].entry, bundle);
  cpSync(definitionsFolder(), join(tmpDir, 'export', 'export-worker', DEFINITIONS_FOLDER), {
    recursive: true,
  });
  const s3Dir = join(tmpDir, 'export', 's3');
  rmSync(s3Dir, { recursive: true, force: true });
  const [ddb, s3] = await Promise.all([startDynamoDbLocal(), startS3Local(s3Dir, [BUCKET])]);
  try {
    const { admin, client } = await localRecordTable(ddb.endpoint, TABLE);
    const nativeExportAnswer = await askForNativeExport(admin);
    const local = {
      AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      TABLE_NAME: TABLE,
      BUCKET_NAME: BUCKET,
    };
    const workerEnv = {
      ...handlerEnvironment(sandbox, 'export-worker', local),
      ...exportWorkerSecrets(),
      // Source maps as deployed; gc exposed only to measure the live heap once the peak is taken.
      NODE_OPTIONS: '--enable-source-maps --expose-gc',
    };
    const apiEnv = {
      ...handlerEnvironment(sandbox, 'bulk-export', local),
      EXPORT_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-2:000000000000:stateMachine:BulkExport',
      EXPORT_IDENTIFIED_PURPOSES: '[]',
    };
    // A token for each call: a large tier's export outlasts one.
    const api = async (action: ExportApiWorkerInput['action']) =>
      runWorker<ExportApiWorkerOutput>(
        'bench/export/export-api-worker.ts',
        apiEnv,
        {
          token: await accessToken(sandbox.clients, 'analyst'),
          host: new URL(sandbox.url).host,
          action,
        } satisfies ExportApiWorkerInput,
        { timeoutMs: 120_000 },
      );
    const step = async (event: StepWorkerInput['event']) => {
      const out = await runWorker<StepWorkerOutput>(
        'bench/export/step-worker.ts',
        workerEnv,
        { bundle, event } satisfies StepWorkerInput,
        { loader: 'none', timeoutMs: 1_800_000 },
      );
      if (out.error) throw new Error(`${event.step} ${JSON.stringify(event)}: ${out.error}`);
      return out;
    };

    const numbers = nhsNumbers('940');
    const tiers: ExportTier[] = [];
    const skipped: number[] = [];
    let registered = 0;
    let items = 0;
    let itemsPerSecond = 0;
    let loadedSeconds = 0;
    for (const target of options.tiers) {
      const fillers = target - registered;
      const projected = itemsPerSecond ? (fillers * (FILLER_TYPES.length + 1)) / itemsPerSecond : 0;
      if (loadedSeconds + projected > options.maxLoadSeconds) {
        skipped.push(target);
        continue;
      }
      const loadStarted = performance.now();
      const written = await loadItems(client, TABLE, fillerItems(numbers, fillers));
      const loadSeconds = (performance.now() - loadStarted) / 1000;
      loadedSeconds += loadSeconds;
      items += written;
      registered += fillers;
      itemsPerSecond = written / loadSeconds;

      const kickOff = await api({ kind: 'kick-off', path: '/FHIR/R4/$export' });
      const exportId = (kickOff.executions[0] as { exportId?: string } | undefined)?.exportId;
      if (kickOff.status !== 202 || !exportId || !kickOff.statusPath) {
        throw new Error(`Kick-off: ${kickOff.status} ${JSON.stringify(kickOff.body ?? kickOff.executions)}`);
      }
      const started = performance.now();
      const plan = await step({ step: 'plan', exportId });
      const { segments } = plan.result as { segments: { segment: number; totalSegments: number }[] };
      const scans = await inBatches(segments, options.concurrency, (s) =>
        step({ step: 'scan-segment', exportId, ...s }),
      );
      const finish = await step({ step: 'finish', exportId });
      const exportSeconds = (performance.now() - started) / 1000;
      const status = await api({ kind: 'status', statusPath: kickOff.statusPath });
      if (status.status !== 200) throw new Error(`Status: ${status.status} ${JSON.stringify(status.body)}`);
      const manifest = status.body as { output?: { type: string; count?: number }[] };
      const { Table } = await admin.send(new DescribeTableCommand({ TableName: TABLE }));
      tiers.push({
        patients: registered,
        items,
        tableMb: round((Table?.TableSizeBytes ?? 0) / 2 ** 20, 1),
        loadSeconds: round(loadSeconds, 1),
        segments: segments.length,
        exportSeconds: round(exportSeconds, 1),
        steps: [figures('plan', [plan]), figures('scan-segment', scans), figures('finish', [finish])],
        output: summariseOutput(manifest.output ?? []),
        finishStatus: String((finish.result as { status?: string }).status),
      });
    }
    return {
      measuredAt: new Date().toISOString(),
      segments: exportWorkflow.segments,
      concurrency: options.concurrency,
      resourcesPerPatient: FILLER_TYPES.length,
      tiers,
      skipped,
      nativeExportAnswer,
    };
  } finally {
    await Promise.all([ddb.stop(), s3.stop()]);
  }
}

/**
 * The pseudonym key as the sandbox gives the worker one: a fixed local key (never a deployment's), under each
 * name the worker may read it by outside AWS.
 */
function exportWorkerSecrets(): Record<string, string> {
  const key = Buffer.alloc(32, 7).toString('base64url');
  return { PSEUDONYM_KEY: key };
}

/** DynamoDB's native export to S3, asked of DynamoDB Local once: its answer is the figure. */
async function askForNativeExport(client: DynamoDBClient): Promise<string> {
  try {
    await client.send(
      new ExportTableToPointInTimeCommand({
        TableArn: `arn:aws:dynamodb:ddblocal:000000000000:table/${TABLE}`,
        S3Bucket: BUCKET,
        ExportFormat: 'DYNAMODB_JSON',
      }),
    );
    return 'accepted';
  } catch (e) {
    const error = e as Error & { $metadata?: { httpStatusCode?: number } };
    return `${error.name} (${error.$metadata?.httpStatusCode ?? '?'}): ${error.message}`;
  }
}

/** Runs `work` over `items`, at most `concurrency` at once, keeping their order. */
async function inBatches<T, U>(items: T[], concurrency: number, work: (item: T) => Promise<U>): Promise<U[]> {
  const out: U[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return out;
}

function figures(step: ExportStepFigures['step'], runs: StepWorkerOutput[]): ExportStepFigures {
  const calls = runs.flatMap((r) => r.callMs);
  const s = summarise(calls);
  const longest = runs.reduce((a, b) => (b.callMs.length > a.callMs.length ? b : a));
  return {
    step,
    processes: runs.length,
    calls: calls.length,
    medianMs: round(s.median, 1),
    maxMs: round(Math.max(...calls), 1),
    totalMs: round(
      calls.reduce((a, b) => a + b, 0),
      0,
    ),
    peakRssMb: round(Math.max(...runs.map((r) => r.maxRssMb)), 1),
    rssAfterFirstCallMb: round(longest.callRssMb[0] ?? 0, 1),
    rssAfterLastCallMb: round(longest.callRssMb.at(-1) ?? 0, 1),
    heapAfterFirstCallMb: round(longest.callHeapMb[0] ?? 0, 1),
    heapAfterLastCallMb: round(longest.callHeapMb.at(-1) ?? 0, 1),
    liveHeapAtEndMb: round(longest.liveHeapMb, 1),
  };
}

/** The manifest's files as types and counts (the sum over a type's files, where counts are given). */
function summariseOutput(output: { type: string; count?: number }[]): { type: string; count?: number }[] {
  const byType = new Map<string, number | undefined>();
  for (const file of output) {
    const before = byType.has(file.type) ? byType.get(file.type) : 0;
    byType.set(file.type, before === undefined || file.count === undefined ? undefined : before + file.count);
  }
  return [...byType].map(([type, count]) => (count === undefined ? { type } : { type, count }));
}

/**
 * The export part's budget: no step's peak memory at 100,000 patients is more than `exportRssGrowth` times its
 * peak at 10,000, and none at a larger tier, where one ran, more than that times its peak at 100,000: nothing
 * holds the region in memory.
 */
export function exportChecks(
  figures: ExportFigures,
): (Checked & { part: string; what: string; unit: string; note?: string })[] {
  const tier = (patients: number) => figures.tiers.find((t) => t.patients === patients);
  const largest = figures.tiers.at(-1);
  const pairs = [
    [tier(10_000), tier(100_000)],
    [tier(100_000), largest && largest.patients > 100_000 ? largest : undefined],
  ].filter((p): p is [ExportTier, ExportTier] => p[0] !== undefined && p[1] !== undefined);
  return pairs.flatMap(([low, high]) =>
    high.steps.map((h) => {
      const l = low.steps.find((s) => s.step === h.step) as ExportStepFigures;
      return {
        part: '8',
        what: `export ${h.step}: peak RSS at ${high.patients.toLocaleString('en-GB')} / at ${low.patients.toLocaleString('en-GB')} patients`,
        unit: '×',
        ...atMost(round(h.peakRssMb / l.peakRssMb, 2), budgets.exportRssGrowth),
        note: `${h.peakRssMb} MB vs ${l.peakRssMb} MB`,
      };
    }),
  );
}
