import autocannon from 'autocannon';
import { accessToken } from '../support/access-token.ts';
import { changed, clinicalResource, nhsNumbers, patient } from '../support/fixtures.ts';
import { dynamodbLocalPid, processCpuSeconds } from '../support/process-cpu.ts';
import type { SandboxProcess } from '../support/sandbox-process.ts';
import { round } from '../support/stats.ts';
import { crudMix } from './crud-mix.ts';

/** One autocannon run of the CRUD mix over HTTP. */
export interface ThroughputFigures {
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMedianMs: number;
  latencyP99Ms: number;
  /** Transport errors, timeouts and non-2xx answers: every one counts. */
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /**
   * CPU milliseconds per request of each process on the path: the sandbox's Node process (gateway, handlers,
   * and the sandbox's own stream poller and outbox publisher), its DynamoDB Local, and autocannon.
   */
  cpuMsPerRequest: { sandbox: number; dynamodbLocal: number; loadGenerator: number };
}

interface Chain {
  ids: Record<string, string>;
  bodies: Record<string, Record<string, unknown>>;
}

/**
 * Part 4 (HTTP): the sandbox under the CRUD mix with autocannon, each connection running the mix over and
 * over with the ids and versions its own answers give (`setupRequest` / `onResponse`), so every request is
 * valid. A warm-up run first, whose figures are dropped.
 */
export async function measureThroughput(
  sandbox: SandboxProcess,
  runs: { connections: number; seconds: number }[],
  warmupSeconds: number,
  nhsPrefix: string,
): Promise<ThroughputFigures[]> {
  const token = await accessToken(sandbox.clients, 'gp');
  const numbers = nhsNumbers(nhsPrefix);
  const base = new URL(sandbox.clients.fhirBase).pathname;
  const headers = {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/fhir+json',
    Accept: 'application/fhir+json',
  };
  const requests: autocannon.Request[] = crudMix.map((step) => ({
    method: step.interaction === 'create' ? 'POST' : 'GET',
    path: base,
    headers,
    setupRequest: (req: autocannon.Request, state: object): autocannon.Request => {
      const context = state as Chain;
      if (step.interaction === 'create' && step.type === 'Patient') {
        const nhs = numbers.next().value as string;
        context.ids = { Patient: nhs };
        context.bodies = {};
        return { ...req, method: 'POST', path: `${base}/Patient`, body: JSON.stringify(patient(nhs)) };
      }
      const nhs = context.ids?.Patient as string;
      if (step.interaction === 'create') {
        const body = clinicalResource[step.type as keyof typeof clinicalResource](nhs);
        return { ...req, method: 'POST', path: `${base}/${step.type}`, body: JSON.stringify(body) };
      }
      const path = `${base}/${step.type}/${context.ids[step.type]}`;
      if (step.interaction === 'read') return { ...req, method: 'GET', path };
      if (step.interaction === 'delete') return { ...req, method: 'DELETE', path };
      const body = changed(context.bodies[step.type] as Record<string, unknown>);
      return {
        ...req,
        method: 'PUT',
        path,
        headers: { ...headers, 'If-Match': `W/"${(body.meta as { versionId: string }).versionId}"` },
        body: JSON.stringify(body),
      };
    },
    onResponse: (status: number, body: string, state: object) => {
      const context = state as Chain;
      if (step.interaction !== 'create' || status >= 300) return;
      const resource = JSON.parse(body) as Record<string, unknown>;
      context.ids[step.type] = resource.id as string;
      context.bodies[step.type] = resource;
    },
  }));
  const java = dynamodbLocalPid(sandbox.pid) ?? 0;
  const run = async (connections: number, seconds: number) => {
    const before = {
      sandbox: processCpuSeconds(sandbox.pid),
      java: processCpuSeconds(java),
      self: process.cpuUsage(),
    };
    const result = await autocannon({
      url: sandbox.url,
      connections,
      duration: seconds,
      requests,
      initialContext: { ids: {}, bodies: {} },
      timeout: 30,
    });
    const self = process.cpuUsage(before.self);
    const perRequest = (seconds: number) => round((seconds * 1000) / Math.max(1, result.requests.total), 2);
    const statusCodes = Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, (s as { count: number }).count]),
    );
    return {
      connections,
      seconds,
      requests: result.requests.total,
      requestsPerSecond: round(result.requests.total / seconds, 1),
      latencyMedianMs: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
      non2xx: result.non2xx,
      statusCodes,
      cpuMsPerRequest: {
        sandbox: perRequest(processCpuSeconds(sandbox.pid) - before.sandbox),
        dynamodbLocal: perRequest(processCpuSeconds(java) - before.java),
        loadGenerator: perRequest((self.user + self.system) / 1e6),
      },
    };
  };
  await run(runs[0]?.connections ?? 16, warmupSeconds);
  const figures: ThroughputFigures[] = [];
  for (const { connections, seconds } of runs) figures.push(await run(connections, seconds));
  return figures;
}
