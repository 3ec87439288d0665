import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '#local/dynamodb-local';
import { currentKey, patientPartition } from '#shared/service/table-design';
import { accessToken } from '../support/access-token.ts';
import { clinicalResource, nhsNumbers, PRACTICE, patient } from '../support/fixtures.ts';
import { handlerEnvironment } from '../support/handler-environment.ts';
import { localRecordTable } from '../support/local-record-table.ts';
import type { SandboxProcess } from '../support/sandbox-process.ts';
import { round, summarise } from '../support/stats.ts';
import type { StorageWork } from '../support/storage-meter.ts';
import { runWorker } from '../support/worker-process.ts';
import { currentItem, FILLER_TYPES, fillerItems, firstVersion, sameShape } from './record-items.ts';
import type { Probe, ScaleWorkerInput, ScaleWorkerOutput } from './scale-worker.ts';
import { loadItems } from './table-loader.ts';

/** Read and `$everything` of the same patients with so many patients registered. */
export interface ScaleTier {
  patients: number;
  items: number;
  loadSeconds: number;
  readMedianMs: number;
  readP99Ms: number;
  everythingMedianMs: number;
  everythingP99Ms: number;
  readWork: StorageWork;
  everythingWork: StorageWork;
}

export interface ScaleFigures {
  /** Clinical resources of each filler patient, besides its Patient and contributor marker. */
  resourcesPerPatient: number;
  probeResources: number;
  itemShapesMatchStore: boolean;
  tiers: ScaleTier[];
  /** Tiers not run because loading them would have overrun the time allowed (nothing is extrapolated). */
  skipped: number[];
  loadItemsPerSecond: number;
}

const TABLE = 'shared-care-record';

/**
 * Part 5: a DynamoDB Local of its own (in memory), the same probe patients (registered through the handler,
 * 10 resources each) measured with 1,000, 10,000 and 100,000 patients registered; filler patients (a Patient,
 * four clinical resources and a contributor marker each) loaded with BatchWriteItem in the store's item shapes.
 * A tier whose load would overrun `maxLoadSeconds` in all is skipped, not extrapolated.
 */
export async function measureScale(
  sandbox: SandboxProcess,
  options: {
    tiers: number[];
    probeCount: number;
    warmup: number;
    iterations: number;
    maxLoadSeconds: number;
  },
): Promise<ScaleFigures> {
  const ddb = await startDynamoDbLocal();
  try {
    const { client } = await localRecordTable(ddb.endpoint, TABLE);
    const token = await accessToken(sandbox.clients, 'gp');
    const env = handlerEnvironment(sandbox, 'fhir', {
      AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
      TABLE_NAME: TABLE,
    });
    const numbers = nhsNumbers('970');
    let probes: Probe[] = [];
    let registered = 0;
    let items = 0;
    let loadSeconds = 0;
    let itemsPerSecond = 0;
    let shapesMatch = false;
    const tiers: ScaleTier[] = [];
    const skipped: number[] = [];
    for (const target of options.tiers) {
      const fillers = target - Math.max(registered, options.probeCount);
      const projected = itemsPerSecond ? (fillers * (FILLER_TYPES.length + 2)) / itemsPerSecond : 0;
      if (loadSeconds + projected > options.maxLoadSeconds) {
        skipped.push(target);
        continue;
      }
      const measure = async () =>
        runWorker<ScaleWorkerOutput>(
          'bench/scale/scale-worker.ts',
          env,
          {
            token,
            host: new URL(sandbox.url).host,
            probes,
            probeCount: options.probeCount,
            resourcesPerProbe: 10,
            warmup: options.warmup,
            iterations: options.iterations,
          } satisfies ScaleWorkerInput,
          { timeoutMs: 600_000 },
        );
      if (!probes.length) {
        probes = (await measure()).probes;
        registered = probes.length;
        shapesMatch = await replicaMatchesStore(client, probes[0] as Probe);
      }
      const started = performance.now();
      const written = await loadItems(client, TABLE, fillerItems(numbers, fillers));
      const seconds = (performance.now() - started) / 1000;
      loadSeconds += seconds;
      items += written;
      registered += fillers;
      if (written) itemsPerSecond = written / seconds;
      const result = await measure();
      const read = summarise(result.readMs);
      const everything = summarise(result.everythingMs);
      tiers.push({
        patients: registered,
        items,
        loadSeconds: round(seconds, 1),
        readMedianMs: round(read.median, 2),
        readP99Ms: round(read.p99, 2),
        everythingMedianMs: round(everything.median, 2),
        everythingP99Ms: round(everything.p99, 2),
        readWork: result.readWork,
        everythingWork: result.everythingWork,
      });
    }
    return {
      resourcesPerPatient: FILLER_TYPES.length,
      probeResources: 10,
      itemShapesMatchStore: shapesMatch,
      tiers,
      skipped,
      loadItemsPerSecond: round(itemsPerSecond, 0),
    };
  } finally {
    await ddb.stop();
  }
}

/** Checks the replicated item shapes against the items the store itself wrote for a probe patient. */
async function replicaMatchesStore(client: DynamoDBDocumentClient, probe: Probe): Promise<boolean> {
  const get = async (SK: string) =>
    (await client.send(new GetCommand({ TableName: TABLE, Key: { PK: patientPartition(probe.nhs), SK } })))
      .Item as Record<string, unknown>;
  const storedPatient = await get(currentKey('Patient', probe.nhs));
  const storedObservation = await get(currentKey('Observation', probe.observation));
  return (
    sameShape(storedPatient, currentItem(firstVersion(probe.nhs, patient(probe.nhs), PRACTICE))) &&
    sameShape(
      storedObservation,
      currentItem(firstVersion(probe.nhs, clinicalResource.Observation(probe.nhs), PRACTICE)),
    )
  );
}
