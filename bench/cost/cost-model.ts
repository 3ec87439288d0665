import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { functions } from '#shared/service/functions';
import type { InteractionFigures } from '../cpu/cpu.ts';
import { BARE_GET_ITEM } from '../cpu/storage-floor-name.ts';
import { benchDir } from '../support/bench-paths.ts';
import { round } from '../support/stats.ts';

interface Price {
  price: number;
  unit: string;
  source: string;
  verified: boolean;
}
type Prices = Record<string, Price> & { region: string };

/** The stated ICB workload: interactions per registered patient per month, and what else a month holds. */
export const icbWorkload = {
  perPatientPerMonth: {
    read: 2,
    'search page': 1,
    '$everything (50 resources)': 0.5,
    create: 1,
    update: 0.3,
    'transaction (20 entries)': 0.1,
  } as Record<string, number>,
  /** Share of writes that raise an event (admissions, discharges, safeguarding flags) onto the bus. */
  eventsPerWrite: 0.05,
  /** The outbox publisher's billed time per stream batch (an assumption: not measured here). */
  outboxPublisherMsPerWrite: 10,
  /** Documents per patient per month and their size (DocumentReference with an attachment in S3). */
  documentsPerPatientPerMonth: 0.05,
  documentBytes: 200_000,
  /** Access tokens last 10 minutes and the authorizer's decision is cached 5: negligible invocations. */
  authorizerNote: 'Authorizer decisions are cached per token for 300 s, so its invocations are left out.',
};

/** The cost of one interaction of a kind, per million, by service. */
export interface InteractionCost {
  name: string;
  billedMs: number;
  lambda: number;
  apiGateway: number;
  dynamodb: number;
  logs: number;
  total: number;
}

export interface CostModel {
  prices: Prices;
  memoryMb: number;
  assumptions: string[];
  perMillion: InteractionCost[];
  per1000PatientsPerMonth: {
    interactions: number;
    requests: number;
    lambda: number;
    apiGateway: number;
    dynamodbRequests: number;
    dynamodbStorageAddedGb: number;
    dynamodbStorage: number;
    eventBridge: number;
    s3: number;
    logs: number;
    total: number;
  };
}

/** The unit prices of bench/cost/aws-prices.json. */
export function loadPrices(): Prices {
  return JSON.parse(readFileSync(join(benchDir, 'cost', 'aws-prices.json'), 'utf8')) as Prices;
}

/**
 * Part 6: AWS cost per million interactions of each kind and per 1,000 patients a month, from the measured
 * CPU and wall times (Lambda's CPU share at the function's memory applied to the CPU time), the measured
 * capacity units and log bytes, and the prices file.
 */
export function costModel(interactions: InteractionFigures[]): CostModel {
  const prices = loadPrices();
  const p = (key: string) => (prices[key] as Price).price;
  const memoryMb = functions.fhir.memoryMb;
  const gb = memoryMb / 1024;
  const cpuShare = memoryMb / p('lambdaVcpuAtMb');
  const perOne = (i: InteractionFigures) => {
    // CPU time stretches by Lambda's CPU share at this memory; time waiting on DynamoDB does not.
    const waitMs = Math.max(0, i.wallMs.median - i.cpuMs.median);
    const billedMs = Math.ceil(i.cpuMs.median / cpuShare + waitMs);
    const lambda = p('lambdaArmRequest') + (billedMs / 1000) * gb * p('lambdaArmGbSecond');
    const apiGateway = p('apiGatewayRestRequest');
    const dynamodb =
      i.storage.readUnits * p('dynamodbReadRequestUnit') +
      i.storage.writeUnits * p('dynamodbWriteRequestUnit');
    const logs = (i.logBytes / 2 ** 30) * p('cloudWatchLogsIngestGb');
    return { billedMs, lambda, apiGateway, dynamodb, logs, total: lambda + apiGateway + dynamodb + logs };
  };
  // Only what a client can ask for is priced; the bare GetItem row is there to show the SDK's share.
  const priced = interactions.filter((i) => i.name !== BARE_GET_ITEM);
  const perMillion = priced.map((i) => {
    const c = perOne(i);
    return {
      name: i.name,
      billedMs: c.billedMs,
      lambda: round(c.lambda * 1e6, 2),
      apiGateway: round(c.apiGateway * 1e6, 2),
      dynamodb: round(c.dynamodb * 1e6, 2),
      logs: round(c.logs * 1e6, 2),
      total: round(c.total * 1e6, 2),
    };
  });

  const month = { interactions: 0, writes: 0, lambda: 0, apiGateway: 0, dynamodb: 0, logs: 0, writeUnits: 0 };
  for (const [name, perPatient] of Object.entries(icbWorkload.perPatientPerMonth)) {
    const figures = interactions.find((i) => i.name === name);
    if (!figures) continue;
    const count = perPatient * 1000;
    const c = perOne(figures);
    month.interactions += count;
    if (figures.storage.calls.TransactWriteItems) month.writes += count;
    month.lambda += count * c.lambda;
    month.apiGateway += count * c.apiGateway;
    month.dynamodb += count * c.dynamodb;
    month.logs += count * c.logs;
    month.writeUnits += count * figures.storage.writeUnits;
  }
  // Outbox: every write's stream batch invokes the publisher; a few writes raise an event.
  const outboxLambda =
    month.writes *
    (p('lambdaArmRequest') + (icbWorkload.outboxPublisherMsPerWrite / 1000) * gb * p('lambdaArmGbSecond'));
  const eventBridge = month.writes * icbWorkload.eventsPerWrite * p('eventBridgeCustomEvent');
  // Every write unit is at most 1 KB written and nothing is ever removed (history and audit are kept):
  // a transactional write unit is 2 per KB, so half the units bound the kilobytes added.
  const storageAddedGb = month.writeUnits / 2 / 2 ** 20;
  const dynamodbStorage = storageAddedGb * p('dynamodbStorageGbMonth');
  const documents = 1000 * icbWorkload.documentsPerPatientPerMonth;
  const s3 =
    documents * (p('s3PutRequest') + 2 * p('s3GetRequest')) +
    ((documents * icbWorkload.documentBytes) / 2 ** 30) * p('s3StandardGbMonth');
  const lambda = month.lambda + outboxLambda;
  const total = lambda + month.apiGateway + month.dynamodb + dynamodbStorage + eventBridge + s3 + month.logs;
  return {
    prices,
    memoryMb,
    assumptions: [
      `Lambda billed duration = CPU time measured here / ${round(cpuShare, 3)} (the vCPU share of ${memoryMb} MB, ` +
        `1 vCPU at ${p('lambdaVcpuAtMb')} MB) + the time spent waiting on DynamoDB as measured against DynamoDB ` +
        'Local on loopback, rounded up to the millisecond; the CPU here is an x86 core, not Graviton.',
      `Workload per registered patient per month: ${Object.entries(icbWorkload.perPatientPerMonth)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}.`,
      `${icbWorkload.eventsPerWrite * 100}% of writes raise a bus event; the outbox publisher bills ` +
        `${icbWorkload.outboxPublisherMsPerWrite} ms at ${memoryMb} MB per write (not measured).`,
      `${icbWorkload.documentsPerPatientPerMonth} documents of ${icbWorkload.documentBytes / 1000} KB per patient per month, ` +
        'each stored once and read twice.',
      'DynamoDB storage: every write unit stands for at most 1 KB kept for good (history and audit are never ' +
        'removed); the figure is what one month adds, billed every month after. Free tiers are ignored.',
      "Capacity units are DynamoDB Local's ConsumedCapacity figures (transactional writes at 2 units per KB).",
      'Log bytes are what the function wrote to standard output and error per request (its request log line, ' +
        "its EMF metrics line and Powertools' empty-metrics warning).",
      icbWorkload.authorizerNote,
    ],
    perMillion,
    per1000PatientsPerMonth: {
      interactions: round(month.interactions, 0),
      requests: round(month.interactions, 0),
      lambda: round(lambda, 4),
      apiGateway: round(month.apiGateway, 4),
      dynamodbRequests: round(month.dynamodb, 4),
      dynamodbStorageAddedGb: round(storageAddedGb, 5),
      dynamodbStorage: round(dynamodbStorage, 5),
      eventBridge: round(eventBridge, 5),
      s3: round(s3, 5),
      logs: round(month.logs, 5),
      total: round(total, 4),
    },
  };
}
