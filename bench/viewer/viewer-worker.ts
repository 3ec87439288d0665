/**
 * Child process of the viewer benchmark (viewer-page.ts): imports the FHIR and viewer handlers from source,
 * builds a 200-entry record through the FHIR handler, opens a viewer session through the launch and start
 * routes, then times record pages with process.cpuUsage() (the function's own CPU: DynamoDB Local runs in
 * another process, as DynamoDB does) and weighs what a browser is sent. Results go back over IPC.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { AnyHandler } from '#local/function-loader';
import { lambdaContext } from '#local/lambda-context';
import { functions } from '#shared/service/functions';
import { clinicalResource, clinicalTypes, nhsNumbers, patient } from '../support/fixtures.ts';
import { authorizerContext, InProcessApi } from '../support/in-process-api.ts';
import { type BenchRequest, proxyEvent } from '../support/proxy-event.ts';

/** What the parent passes in the file `BENCH_INPUT_FILE` names. */
export interface ViewerWorkerInput {
  token: string;
  host: string;
  nhsPrefix: string;
  entries: number;
  warmup: number;
  iterations: number;
}

/** What the worker sends back. */
export interface ViewerSample {
  entries: number;
  cpuMs: number[];
  wallMs: number[];
  /** Bytes of the page and of each stylesheet it links: as sent, and gzip-compressed as API Gateway sends them. */
  html: { raw: number; gzip: number };
  css: { raw: number; gzip: number };
  js: { raw: number; gzip: number };
}

const input = JSON.parse(readFileSync(process.env.BENCH_INPUT_FILE as string, 'utf8')) as ViewerWorkerInput;
const load = async (name: keyof typeof functions) =>
  ((await import(pathToFileURL(functions[name].entry).href)) as { handler: AnyHandler }).handler;
const authorizer = await authorizerContext(await load('authorizer'), input.token);
const fhir = new InProcessApi(await load('fhir'), authorizer, input.host);
const viewer = await load('viewer');
const invokeViewer = (request: BenchRequest, withAuthorizer = false) =>
  viewer(
    proxyEvent(request, withAuthorizer ? authorizer : undefined, input.host),
    lambdaContext('viewer', functions.viewer.timeoutSeconds),
  );

const auth = { Authorization: `Bearer ${input.token}` };
const nhs = nhsNumbers(input.nhsPrefix).next().value as string;
await fhir.expect({ method: 'PUT', path: `/FHIR/R4/Patient/${nhs}`, headers: auth, body: patient(nhs) }, 201);
for (let i = 0; i < input.entries; i++) {
  const type = clinicalTypes[i % clinicalTypes.length] as keyof typeof clinicalResource;
  await fhir.expect(
    { method: 'POST', path: `/FHIR/R4/${type}`, headers: auth, body: clinicalResource[type](nhs) },
    201,
  );
}

const launched = await invokeViewer(
  {
    method: 'POST',
    path: '/viewer/launch',
    headers: { ...auth, 'NHSD-End-User-Id': '555000999888', 'Content-Type': 'application/fhir+json' },
    body: {
      resourceType: 'Parameters',
      parameter: [
        { name: 'patient', valueReference: { reference: `Patient/${nhs}` } },
        { name: 'name', valueString: 'Bench Person' },
      ],
    },
  },
  true,
);
const url = new URL(
  (JSON.parse(launched.body).parameter as { name: string; valueUrl: string }[]).find((p) => p.name === 'url')
    ?.valueUrl as string,
);
const started = await invokeViewer({ method: 'GET', path: `${url.pathname}${url.search}` });
const cookie = String(started.headers?.['Set-Cookie']).split(';')[0] as string;
const page: BenchRequest = {
  method: 'GET',
  path: new URL(String(started.headers?.Location)).pathname,
  headers: { Cookie: cookie, Accept: 'text/html' },
};

const cpuMs: number[] = [];
const wallMs: number[] = [];
let body = '';
for (let i = 0; i < input.warmup + input.iterations; i++) {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const result = await invokeViewer(page);
  const used = process.cpuUsage(cpu);
  if (result.statusCode !== 200) throw new Error(`Record page answered ${result.statusCode}`);
  if (i >= input.warmup) {
    cpuMs.push((used.user + used.system) / 1000);
    wallMs.push(performance.now() - wall);
  }
  body = result.body;
}
const weigh = (texts: string[]) => ({
  raw: texts.reduce((n, t) => n + Buffer.byteLength(t), 0),
  gzip: texts.reduce((n, t) => n + gzipSync(t).length, 0),
});
const stylesheets: string[] = [];
for (const [, href] of body.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)) {
  const asset = await invokeViewer({ method: 'GET', path: new URL(href as string).pathname });
  stylesheets.push(asset.body);
}
const scripts = [...body.matchAll(/<script/g)].length;
if (scripts) throw new Error('The viewer page has scripts: weigh them');
const sample: ViewerSample = {
  entries: (body.match(/class="scr-entry[" ]/g) ?? []).length,
  cpuMs,
  wallMs,
  html: weigh([body]),
  css: weigh(stylesheets),
  js: weigh([]),
};
process.send?.(sample, () => process.exit(0));
