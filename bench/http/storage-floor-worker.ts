/**
 * Child process of the storage floor (storage-floor.ts): the DynamoDB calls the FHIR function makes for the
 * CRUD mix, made straight through the record store's own functions (the same commands and item shapes: the
 * access facts BatchGetItem, the audit PutItem, the by-id Query, GetItem, TransactWriteItems), with no
 * handler, no HTTP and no validation, by `connections` concurrent loops for a fixed time.
 */
import { readFileSync } from 'node:fs';
import type { Resource } from '@medplum/fhirtypes';
import { dynamodb } from '#shared/aws/clients';
import { readAccessFacts, writeJournalEntry } from '#shared/record/access-facts-store';
import { withServerMeta } from '#shared/record/contributor';
import { journalItem } from '#shared/record/journal-entry';
import {
  commit,
  findPartition,
  partitionOf,
  readCurrent,
  type StoredResource,
} from '#shared/record/record-store';
import { currentKey, patientPartition } from '#shared/service/table-design';
import { changed, clinicalResource, nhsNumbers, PRACTICE, patient } from '../support/fixtures.ts';
import { processCpuSeconds } from '../support/process-cpu.ts';
import { StorageMeter } from '../support/storage-meter.ts';
import { crudMix } from './crud-mix.ts';

/** What the parent passes in the file `BENCH_INPUT_FILE` names. */
export interface FloorWorkerInput {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  nhsPrefix: string;
  /** The DynamoDB Local process, whose CPU over the timed window is reported beside this process's own. */
  dynamodbLocalPid: number;
}

const input = JSON.parse(readFileSync(process.env.BENCH_INPUT_FILE as string, 'utf8')) as FloorWorkerInput;
const meter = new StorageMeter(dynamodb);
const numbers = nhsNumbers(input.nhsPrefix);
const caller = { clientId: 'sandbox-gp', odsCode: PRACTICE, role: 'gp' as const, scopes: ['system/*.cruds'] };

const journal = (nhs: string, interaction: string, action: 'C' | 'R' | 'U' | 'D', refs: string[]) =>
  journalItem({
    partition: patientPartition(nhs),
    audit: {
      caller,
      purpose: { code: 'TREAT' },
      interaction,
      action,
      outcome: '0',
      patient: nhs,
      resources: refs,
    },
    events: [],
  });
const reference = (s: StoredResource) =>
  `${s.resource.resourceType}/${s.resource.id}/_history/${s.versionId}`;

/** One iteration of the CRUD mix, its DynamoDB calls only, timing each request-equivalent. */
async function iteration(latencies: number[]): Promise<void> {
  const nhs = numbers.next().value as string;
  const stored: Record<string, StoredResource> = {};
  const write = async (
    next: StoredResource,
    previous: StoredResource | undefined,
    action: 'C' | 'U' | 'D',
  ) => {
    const isPatient = next.resource.resourceType === 'Patient';
    await commit([{ next, ...(previous ? { previous } : {}) }], {
      registeredPatients: isPatient || action === 'D' ? [] : [nhs],
      items: [journal(nhs, { C: 'create', U: 'update', D: 'delete' }[action], action, [reference(next)])],
    });
  };
  const version = (
    previous: StoredResource | undefined,
    resource: Record<string, unknown>,
    deleted = false,
  ) => {
    const versionId = (previous?.versionId ?? 0) + 1;
    const lastUpdated = new Date().toISOString();
    const id = (resource.id as string | undefined) ?? crypto.randomUUID();
    const withMeta = withServerMeta({ ...resource, id } as unknown as Resource, {
      versionId,
      lastUpdated,
      contributor: PRACTICE,
    });
    const partition = partitionOf(withMeta.resourceType, id, nhs);
    return { partition, resource: withMeta, versionId, lastUpdated, contributor: PRACTICE, deleted };
  };
  // The current version, as the handler finds it: by key for a Patient, through the by-id index otherwise.
  const current = (type: string) => {
    const id = stored[type]?.resource.id as string;
    return readCurrent(type, id, type === 'Patient' ? patientPartition(nhs) : undefined);
  };
  for (const step of crudMix) {
    const started = performance.now();
    if (step.interaction === 'create') {
      const body = step.type === 'Patient' ? patient(nhs) : clinicalResource[step.type](nhs);
      const previous =
        step.type === 'Patient' ? await readCurrent('Patient', nhs, patientPartition(nhs)) : undefined;
      const next = version(previous, body);
      await write(next, undefined, 'C');
      stored[step.type] = next;
    } else if (step.interaction === 'read') {
      const id = stored[step.type]?.resource.id as string;
      const partition = step.type === 'Patient' ? patientPartition(nhs) : await findPartition(step.type, id);
      const { resources } = await readAccessFacts(nhs, PRACTICE, [
        { PK: partition as string, SK: currentKey(step.type, id) },
      ]);
      await writeJournalEntry(journal(nhs, 'read', 'R', resources.map(reference)));
    } else if (step.interaction === 'update') {
      const previous = await current(step.type);
      const next = version(previous, changed(previous?.resource as unknown as Record<string, unknown>));
      await write(next, previous, 'U');
      stored[step.type] = next;
    } else {
      const previous = (await current(step.type)) as StoredResource;
      await write(
        version(previous, previous.resource as unknown as Record<string, unknown>, true),
        previous,
        'D',
      );
    }
    latencies.push(performance.now() - started);
  }
}

// One metered iteration tells the calls per iteration, to set beside the handler's.
meter.take();
await iteration([]);
const perIteration = meter.take();
meter.enabled = false;

const loop = async (until: number, latencies: number[]) => {
  let done = 0;
  while (performance.now() < until) {
    await iteration(latencies);
    done++;
  }
  return done;
};
await Promise.all(
  Array.from({ length: input.connections }, () => loop(performance.now() + input.warmupSeconds * 1000, [])),
);
const latencies: number[] = [];
const started = performance.now();
const cpuBefore = { self: process.cpuUsage(), java: processCpuSeconds(input.dynamodbLocalPid) };
const iterations = await Promise.all(
  Array.from({ length: input.connections }, () => loop(started + input.seconds * 1000, latencies)),
);
const seconds = (performance.now() - started) / 1000;
const self = process.cpuUsage(cpuBefore.self);
process.send?.(
  {
    cpuSeconds: {
      floor: (self.user + self.system) / 1e6,
      dynamodbLocal: processCpuSeconds(input.dynamodbLocalPid) - cpuBefore.java,
    },
    perIteration,
    iterations: iterations.reduce((a, b) => a + b, 0),
    requests: latencies.length,
    seconds,
    latencies,
  },
  () => process.exit(0),
);
