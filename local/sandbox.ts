import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { apiDocs } from './api-docs.ts';
import { installAuditFault } from './audit-fault.ts';
import { demoOrganisations } from './demo-organisations.ts';
import { startIndexLagProxy } from './dynamodb-index-lag.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.ts';
import { LocalEventBus } from './event-bus.ts';
import { createEventBridgeEndpoint } from './eventbridge-endpoint.ts';
import { freePort } from './free-port.ts';
import { createGateway } from './gateway.ts';
import { notificationInbox } from './notification-inbox.ts';
import { opsPage } from './ops-page.ts';
import { subscriptionDeliveries } from './ops-subscriptions.ts';
import { ensureIdempotencyTable, ensureRecordTable } from './record-table.ts';
import { type S3Local, startS3Local } from './s3-local.ts';
import { type SandboxClientsFile, sandboxKeys } from './sandbox-clients.ts';
import { sandboxControl } from './sandbox-control.ts';
import { sandboxMetrics } from './sandbox-metrics.ts';
import { startSqsLocal } from './sqs-local.ts';
import { StreamPoller } from './stream-poller.ts';
import { viewerLauncher } from './viewer-launcher.ts';

export interface SandboxOptions {
  port: number;
  /** Where data, keys and clients.json live (default `.sandbox`). */
  dir?: string;
  /** Start empty and re-seed. */
  fresh?: boolean;
  /**
   * Make the handlers' index reads miss items written less than this many milliseconds ago, as DynamoDB's
   * eventually consistent indexes may on AWS (local/dynamodb-index-lag.ts). Off (0) by default.
   */
  indexLagMs?: number;
  /** The interface the gateway listens on (CONTRACT §1: loopback unless `HOST` says otherwise). */
  host?: string;
}

export interface Sandbox {
  url: string;
  clients: SandboxClientsFile;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  sqsEndpoint: string;
  eventBridgeEndpoint: string;
  /** The interface the gateway listens on; the emulators always listen on 127.0.0.1. */
  host: string;
  tableName: string;
  /** The documents bucket (CONTRACT §6). */
  bucketName: string;
  /** Where the handlers reach DynamoDB: the index-lag proxy when `indexLagMs` is set, else `dynamodbEndpoint`. */
  handlerDynamodbEndpoint: string;
  stop(): Promise<void>;
}

const TABLE_NAME = 'shared-care-record';
const LOOPBACK = '127.0.0.1';
const IDEMPOTENCY_TABLE_NAME = 'shared-care-record-idempotency';
const DOCUMENTS_BUCKET = 'shared-care-record-documents';
/** The one purpose the sandbox lists for identified exports (`export.identifiedPurposes` in an ICB's config). */
const DEMO_IDENTIFIED_PURPOSES = [
  {
    code: 'screening-invitations',
    description: 'Inviting eligible patients to a screening programme (sandbox demonstration purpose)',
  },
];

/**
 * Starts the whole sandbox: DynamoDB Local and s3rver, the table as the stack declares it, keys and seeded
 * organisations, and the local gateway serving the one route table to the real handlers.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const dir = resolve(options.dir ?? '.sandbox');
  if (options.fresh) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const url = `http://localhost:${options.port}`;

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const [dynamodb, s3]: [DynamoDbLocal, S3Local] = await Promise.all([
      startDynamoDbLocal({ dataDir: join(dir, 'dynamodb') }),
      startS3Local(join(dir, 's3'), [DOCUMENTS_BUCKET]),
    ]);
    stops.push(dynamodb.stop, s3.stop);
    const lag = options.indexLagMs
      ? await startIndexLagProxy(dynamodb.endpoint, options.indexLagMs)
      : undefined;
    if (lag) stops.push(lag.stop);

    // Started before the bus, so it stops after the bus has settled: late deliveries still find their queue.
    const sqs = await startSqsLocal({ stateFile: join(dir, 'sqs-messages.json') });
    stops.push(sqs.stop);
    const bus = new LocalEventBus();
    const eventBridge = createEventBridgeEndpoint(bus);
    const eventBridgePort = await freePort();
    await listen(eventBridge, eventBridgePort, LOOPBACK);
    stops.push(async () => {
      await bus.settled();
      await new Promise<void>((r) => eventBridge.close(() => r()));
    });

    const keys = await sandboxKeys(dir, url, options.fresh ?? false);
    // Handlers read their settings from the environment, as on Lambda; the SDK reads its endpoints from it.
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: lag?.endpoint ?? dynamodb.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: `http://${LOOPBACK}:${eventBridgePort}`,
      EVENT_BUS_NAME: 'shared-care-record',
      TABLE_NAME,
      IDEMPOTENCY_TABLE_NAME,
      BUCKET_NAME: DOCUMENTS_BUCKET,
      PUBLIC_BASE_URL: url,
      TOKEN_SIGNING_JWK: JSON.stringify(keys.serviceKey),
      // Kept under the sandbox folder, so paging cursors survive a restart as the data does.
      CURSOR_SECRET: keys.cursorSecret,
      POWERTOOLS_METRICS_DISABLED: 'true',
      // Invocations run side by side in this one process, as on Lambda's multi-concurrency runtime: with this set,
      // Powertools keeps each one's log keys and metrics in its own InvokeStore scope (local/function-loader.ts).
      AWS_LAMBDA_MAX_CONCURRENCY: '64',
      POWERTOOLS_DEV: process.env.POWERTOOLS_DEV ?? 'false',
      ...sqs.environment,
      // CONTRACT §1: the sandbox delivers notifications to http://localhost; a cloud deployment never does.
      ALLOW_LOCAL_ENDPOINTS: 'true',
      // Kept under the sandbox folder like the cursor secret, so pseudonyms are stable across restarts.
      PSEUDONYM_KEY: keys.pseudonymKey,
      EXPORT_IDENTIFIED_PURPOSES: JSON.stringify(DEMO_IDENTIFIED_PURPOSES),
      // Small Scan pages, so even the sandbox's table takes several calls per segment (the cursor loop runs).
      EXPORT_SCAN_PAGE_ITEMS: '5',
      SOCIAL_CARE_ODS_CODES: demoOrganisations
        .filter((o) => o.role === 'social-care')
        .map((o) => o.odsCode)
        .join(','),
    });
    delete process.env.AWS_PROFILE;

    const admin = new DynamoDBClient({ endpoint: dynamodb.endpoint });
    const streamArn = await ensureRecordTable(admin, TABLE_NAME);
    await ensureIdempotencyTable(admin, IDEMPOTENCY_TABLE_NAME);
    await installAuditFault();
    // Bulk exports run their workflow's steps in this process, as the state machine would run them.
    const { useExportStarter } = await import('#shared/export/export-starter');
    const { runExport } = await import('./export-runner.ts');
    useExportStarter(async (exportId) => {
      // Not awaited: the kick-off answers 202 at once, as StartExecution does.
      runExport(exportId).catch((e) => console.error(`Export ${exportId}: ${(e as Error).name}`));
    });
    const { seedSandbox } = await import('./seed.ts');
    await seedSandbox();
    // The registry lives in the record table, as a deployment's does; the sandbox's clients are its registry.
    const { replaceSupplierRegistry } = await import('#shared/access/supplier-registry');
    await replaceSupplierRegistry(keys.registry);

    const poller = new StreamPoller(dynamodb.endpoint, streamArn, join(dir, 'stream-checkpoints.json'));
    poller.start();
    stops.push(() => poller.stop());
    // The ops page's figures: every metric the functions add, under CloudWatch's names, and what the bus and
    // the stream poller set aside.
    // Imported once the environment is set: Powertools reads its settings when the metrics are made.
    const { onMetric } = await import('#shared/observability/powertools');
    const stopCounting = onMetric((name, value) => sandboxMetrics.count(name, value));
    stops.push(async () => stopCounting());
    sandboxMetrics.gauge('DeadLetters', () => bus.deadLetters.length);
    sandboxMetrics.gauge('FailedStreamBatches', () => poller.failedBatches.length);
    sandboxMetrics.gauge('DeliveryDeadLetters', () => {
      const queues = sqs.snapshot() as Record<string, { deadLetters?: unknown[] }>;
      return Object.values(queues).reduce((n, q) => n + (q.deadLetters?.length ?? 0), 0);
    });
    // The figures survive a restart, as the data does; saved every few seconds and when the sandbox stops.
    const metricsFile = join(dir, 'ops-metrics.json');
    sandboxMetrics.load(metricsFile);
    const saveMetrics = setInterval(() => sandboxMetrics.save(metricsFile), 5000);
    saveMetrics.unref();
    stops.push(async () => {
      clearInterval(saveMetrics);
      sandboxMetrics.save(metricsFile);
    });
    sqs.startConsumers();

    const server = createGateway({
      onRequest: (record) => sandboxMetrics.recordRequest(record),
      localRoutes: [
        opsPage(sandboxMetrics, { subscriptions: subscriptionDeliveries }),
        apiDocs(url),
        sandboxControl(bus, poller, sqs),
        viewerLauncher(url, keys.file),
        notificationInbox(),
        (req, res) => {
          if (req.url !== '/_health') return false;
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ status: 'ok' }));
          return true;
        },
      ],
    });
    const host = options.host ?? LOOPBACK;
    await listen(server, options.port, host);
    stops.push(() => new Promise<void>((r) => server.close(() => r())));

    const sandbox = {
      url,
      clients: keys.file,
      dynamodbEndpoint: dynamodb.endpoint,
      handlerDynamodbEndpoint: lag?.endpoint ?? dynamodb.endpoint,
      s3Endpoint: s3.endpoint,
      sqsEndpoint: sqs.endpoint,
      eventBridgeEndpoint: `http://${LOOPBACK}:${eventBridgePort}`,
      host,
      tableName: TABLE_NAME,
      bucketName: DOCUMENTS_BUCKET,
    };
    writeFileSync(join(dir, 'sandbox.json'), `${JSON.stringify(sandbox, null, 2)}\n`);
    return { ...sandbox, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}
