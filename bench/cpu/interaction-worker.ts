/**
 * Child process of the CPU and storage benchmark (cpu.ts): imports the FHIR handler from source, meters the
 * shared DynamoDB client, registers the records it needs through the handler itself, then times each
 * interaction with process.cpuUsage() and counts its DynamoDB work. Results go back over IPC.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AnyHandler } from '#local/function-loader';
import { documentClient, dynamodb, tableName } from '#shared/aws/clients';
import { functions } from '#shared/service/functions';
import {
  changed,
  clinicalResource,
  clinicalTypes,
  everyOtherResource,
  nhsNumbers,
  patient,
} from '../support/fixtures.ts';
import { authorizerContext, InProcessApi } from '../support/in-process-api.ts';
import type { BenchRequest } from '../support/proxy-event.ts';
import { StorageMeter, type StorageWork } from '../support/storage-meter.ts';
import { BARE_GET_ITEM } from './storage-floor-name.ts';

/** What the parent passes in the file `BENCH_INPUT_FILE` names. */
export interface InteractionWorkerInput {
  token: string;
  host: string;
  nhsPrefix: string;
  warmup: number;
  iterations: number;
  storageSamples: number;
}

/** One interaction's figures, as sent back. */
export interface InteractionSample {
  name: string;
  cpuMs: number[];
  wallMs: number[];
  storage: ReturnType<StorageMeter['take']>[];
  /** Bytes the function wrote to standard output and error (log lines and metrics) per request. */
  logBytes: number[];
  /** Of those, the bytes of Powertools' empty-metrics warning. */
  emptyMetricsWarningBytes: number[];
  responseBytes: number;
}

const input = JSON.parse(
  readFileSync(process.env.BENCH_INPUT_FILE as string, 'utf8'),
) as InteractionWorkerInput;
const meter = new StorageMeter(dynamodb);
// What reaches standard output and error is what CloudWatch Logs would ingest: count it, then pass it on.
let logBytes = 0;
// Of which Powertools' warning that a request left no stored metrics to publish, a line that says nothing.
const EMPTY_METRICS_WARNING = 'No application metrics to publish';
let emptyMetricsWarningBytes = 0;
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    logBytes += bytes;
    if (String(chunk).includes(EMPTY_METRICS_WARNING)) emptyMetricsWarningBytes += bytes;
    return write(chunk, ...rest);
  }) as typeof stream.write;
}
const load = async (name: keyof typeof functions) =>
  ((await import(pathToFileURL(functions[name].entry).href)) as { handler: AnyHandler }).handler;

const api = new InProcessApi(
  await load('fhir'),
  await authorizerContext(await load('authorizer'), input.token),
  input.host,
);
const auth = { Authorization: `Bearer ${input.token}` };
const base = '/FHIR/R4';
const numbers = nhsNumbers(input.nhsPrefix);
const next = () => numbers.next().value as string;

async function register(): Promise<string> {
  const nhs = next();
  await api.expect({ method: 'PUT', path: `${base}/Patient/${nhs}`, headers: auth, body: patient(nhs) }, 201);
  return nhs;
}

async function create(type: keyof typeof clinicalResource, nhs: string): Promise<Record<string, unknown>> {
  const body = clinicalResource[type](nhs);
  return (await api.expect({ method: 'POST', path: `${base}/${type}`, headers: auth, body }, 201)).body;
}

// The records each interaction works on, written through the handler itself.
const reader = await register();
const readObservation = await create('Observation', reader);
const updated = await create('Observation', reader);
let updatedVersion = 1;
const full = await register();
for (let i = 0; i < 49; i++) await create(clinicalTypes[i % clinicalTypes.length] as 'Observation', full);
// A record of 500 resources across every clinical type served (issue 18), for the $everything page beside the
// 50-resource one: the page's cost should follow the page, not the record.
const every = await register();
const everyType = [
  ...clinicalTypes,
  ...(Object.keys(everyOtherResource) as (keyof typeof everyOtherResource)[]),
];
for (let i = 0; i < 500; i++) {
  const type = everyType[i % everyType.length] as string;
  const body =
    type in everyOtherResource
      ? everyOtherResource[type as keyof typeof everyOtherResource](every)
      : clinicalResource[type as keyof typeof clinicalResource](every);
  await api.expect({ method: 'POST', path: `${base}/${type}`, headers: auth, body }, 201);
}
const transactionPatient = await register();

const transaction = (): BenchRequest => ({
  method: 'POST',
  path: base,
  headers: auth,
  body: {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: Array.from({ length: 20 }, (_, i) => {
      const type = clinicalTypes[i % clinicalTypes.length] as keyof typeof clinicalResource;
      return {
        fullUrl: `urn:uuid:${crypto.randomUUID()}`,
        resource: clinicalResource[type](transactionPatient),
        request: { method: 'POST', url: type },
      };
    }),
  },
});

/** Each interaction: the request to send (fresh each time, as a client would) and the status it must get. */
const interactions: { name: string; request: () => BenchRequest; status: number; after?: () => void }[] = [
  {
    name: 'read',
    request: () => ({ method: 'GET', path: `${base}/Observation/${readObservation.id}`, headers: auth }),
    status: 200,
  },
  {
    name: 'read Patient',
    request: () => ({ method: 'GET', path: `${base}/Patient/${reader}`, headers: auth }),
    status: 200,
  },
  {
    name: 'create',
    request: () => ({
      method: 'POST',
      path: `${base}/Observation`,
      headers: auth,
      body: clinicalResource.Observation(reader),
    }),
    status: 201,
  },
  {
    name: 'create with X-Request-ID',
    request: () => ({
      method: 'POST',
      path: `${base}/Observation`,
      headers: { ...auth, 'X-Request-ID': crypto.randomUUID() },
      body: clinicalResource.Observation(reader),
    }),
    status: 201,
  },
  {
    name: 'update',
    request: () => ({
      method: 'PUT',
      path: `${base}/Observation/${updated.id}`,
      headers: { ...auth, 'If-Match': `W/"${updatedVersion}"` },
      body: changed(updated),
    }),
    status: 200,
    after: () => {
      updatedVersion++;
    },
  },
  {
    name: 'search page',
    request: () => ({
      method: 'GET',
      path: `${base}/Observation?patient=Patient/${full}&_count=10&_sort=-date`,
      headers: auth,
    }),
    status: 200,
  },
  {
    name: '$everything (50 resources)',
    request: () => ({ method: 'GET', path: `${base}/Patient/${full}/$everything`, headers: auth }),
    status: 200,
  },
  {
    name: '$everything (page of 50, record of 500 across every type)',
    request: () => ({ method: 'GET', path: `${base}/Patient/${every}/$everything`, headers: auth }),
    status: 200,
  },
  { name: 'transaction (20 entries)', request: transaction, status: 200 },
];

/** One timed invocation of an interaction: CPU (user + system) and wall time, answer checked. */
async function once(interaction: (typeof interactions)[number]) {
  const request = interaction.request();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await api.invoke(request);
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - started;
  if (result.statusCode !== interaction.status) {
    throw new Error(`${interaction.name}: ${result.statusCode} ${result.body.slice(0, 500)}`);
  }
  interaction.after?.();
  return { cpuMs: (used.user + used.system) / 1000, wallMs: wall, bytes: Buffer.byteLength(result.body) };
}

/** A bare GetItem through the shared document client: what one round trip costs the SDK, with no handler. */
async function bareGetItem() {
  const key = { PK: `PATIENT#${reader}`, SK: `Patient#${reader}` };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await documentClient.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started, bytes: 0 };
}

const rows = [
  // `BENCH_ONLY` (a name) narrows the run to one interaction, for profiling it alone (`--cpu-prof`).
  ...interactions
    .filter((i) => !process.env.BENCH_ONLY || i.name === process.env.BENCH_ONLY)
    .map((i) => ({ name: i.name, run: () => once(i) })),
  { name: BARE_GET_ITEM, run: bareGetItem },
];
meter.enabled = false;
for (let i = 0; i < input.warmup; i++) for (const row of rows) await row.run();
const storage = new Map<string, StorageWork[]>();
const logs = new Map<string, number[]>();
const warnings = new Map<string, number[]>();
meter.enabled = true;
for (let i = 0; i < input.storageSamples; i++) {
  for (const row of rows) {
    meter.take();
    logBytes = 0;
    emptyMetricsWarningBytes = 0;
    await row.run();
    storage.set(row.name, [...(storage.get(row.name) ?? []), meter.take()]);
    logs.set(row.name, [...(logs.get(row.name) ?? []), logBytes]);
    warnings.set(row.name, [...(warnings.get(row.name) ?? []), emptyMetricsWarningBytes]);
  }
}
meter.enabled = false;
// Round-robin, so that whatever else the machine is doing weighs on every interaction alike.
const timings = new Map(
  rows.map((r) => [r.name, { cpuMs: [] as number[], wallMs: [] as number[], bytes: 0 }]),
);
for (let i = 0; i < input.iterations; i++) {
  for (const row of rows) {
    const r = await row.run();
    const t = timings.get(row.name) as { cpuMs: number[]; wallMs: number[]; bytes: number };
    t.cpuMs.push(r.cpuMs);
    t.wallMs.push(r.wallMs);
    t.bytes = r.bytes;
  }
}
const samples: InteractionSample[] = rows.map((row) => {
  const t = timings.get(row.name) as { cpuMs: number[]; wallMs: number[]; bytes: number };
  return {
    name: row.name,
    cpuMs: t.cpuMs,
    wallMs: t.wallMs,
    storage: storage.get(row.name) ?? [],
    logBytes: logs.get(row.name) ?? [],
    emptyMetricsWarningBytes: warnings.get(row.name) ?? [],
    responseBytes: t.bytes,
  };
});

process.send?.({ samples }, () => process.exit(0));
