/**
 * Child process of the scale benchmark (scale.ts): the FHIR handler in-process against the scale table. On
 * its first run it registers the probe patients through the handler; on every run it times reads and
 * `$everything` of those same patients, whatever else the table holds.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { AnyHandler } from '#local/function-loader';
import { dynamodb } from '#shared/aws/clients';
import { functions } from '#shared/service/functions';
import { clinicalResource, clinicalTypes, nhsNumbers, patient } from '../support/fixtures.ts';
import { authorizerContext, InProcessApi } from '../support/in-process-api.ts';
import type { BenchRequest } from '../support/proxy-event.ts';
import { StorageMeter, type StorageWork } from '../support/storage-meter.ts';

/** A probe patient: its NHS number and one of its Observations. */
export interface Probe {
  nhs: string;
  observation: string;
}

/** What the parent passes in the file `BENCH_INPUT_FILE` names. */
export interface ScaleWorkerInput {
  token: string;
  host: string;
  probes: Probe[];
  probeCount: number;
  resourcesPerProbe: number;
  warmup: number;
  iterations: number;
}

/** What the worker sends back. */
export interface ScaleWorkerOutput {
  probes: Probe[];
  readMs: number[];
  everythingMs: number[];
  readWork: StorageWork;
  everythingWork: StorageWork;
}

const input = JSON.parse(readFileSync(process.env.BENCH_INPUT_FILE as string, 'utf8')) as ScaleWorkerInput;
const meter = new StorageMeter(dynamodb);
meter.enabled = false;
const load = async (name: keyof typeof functions) =>
  ((await import(pathToFileURL(functions[name].entry).href)) as { handler: AnyHandler }).handler;
const api = new InProcessApi(
  await load('fhir'),
  await authorizerContext(await load('authorizer'), input.token),
  input.host,
);
const auth = { Authorization: `Bearer ${input.token}` };
const base = '/FHIR/R4';

let probes = input.probes;
if (!probes.length) {
  const numbers = nhsNumbers('960');
  probes = [];
  for (let p = 0; p < input.probeCount; p++) {
    const nhs = numbers.next().value as string;
    await api.expect(
      { method: 'PUT', path: `${base}/Patient/${nhs}`, headers: auth, body: patient(nhs) },
      201,
    );
    let observation = '';
    for (let r = 0; r < input.resourcesPerProbe - 1; r++) {
      const type = clinicalTypes[r % clinicalTypes.length] as keyof typeof clinicalResource;
      const { body } = await api.expect(
        { method: 'POST', path: `${base}/${type}`, headers: auth, body: clinicalResource[type](nhs) },
        201,
      );
      if (type === 'Observation') observation = body.id as string;
    }
    probes.push({ nhs, observation });
  }
}

const read = (p: Probe): BenchRequest => ({
  method: 'GET',
  path: `${base}/Observation/${p.observation}`,
  headers: auth,
});
const everything = (p: Probe): BenchRequest => ({
  method: 'GET',
  path: `${base}/Patient/${p.nhs}/$everything`,
  headers: auth,
});
const timed = async (request: BenchRequest) => {
  const started = performance.now();
  const result = await api.invoke(request);
  if (result.statusCode !== 200) throw new Error(`${request.path}: ${result.statusCode} ${result.body}`);
  return performance.now() - started;
};
const metered = async (request: BenchRequest) => {
  meter.enabled = true;
  meter.take();
  await timed(request);
  meter.enabled = false;
  return meter.take();
};

for (let i = 0; i < input.warmup; i++) {
  await timed(read(probes[i % probes.length] as Probe));
  await timed(everything(probes[i % probes.length] as Probe));
}
const readWork = await metered(read(probes[0] as Probe));
const everythingWork = await metered(everything(probes[0] as Probe));
const readMs: number[] = [];
const everythingMs: number[] = [];
for (let i = 0; i < input.iterations; i++) {
  const probe = probes[i % probes.length] as Probe;
  readMs.push(await timed(read(probe)));
  everythingMs.push(await timed(everything(probe)));
}
const output: ScaleWorkerOutput = { probes, readMs, everythingMs, readWork, everythingWork };
process.send?.(output, () => process.exit(0));
