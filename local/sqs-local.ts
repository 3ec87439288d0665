import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { type QueueDefinition, queues as queueTable } from '#shared/service/queues';
import { freePort } from './free-port.ts';
import { createSqsEndpoint } from './sqs-endpoint.ts';
import { SqsEventSource } from './sqs-poller.ts';
import { type LocalMessage, LocalQueue } from './sqs-queue.ts';

const ACCOUNT = '000000000000';
const REGION = 'eu-west-2';

/**
 * How much faster the sandbox's retry schedule runs than the deployment's: the same exponential backoff and the
 * same number of attempts, every delay divided by 1000. Failed deliveries back off from 0.03 s up to 3.6 s
 * (AWS: from 30 s up to an hour, shared/service/queues.ts), so the ten attempts a deployment spreads over about
 * three hours take about 11 s here. A message whose consumer crashed returns after 5 s (AWS: 180 s).
 * `NOTIFICATION_RETRY_BASE_SECONDS` and `NOTIFICATION_RETRY_MAX_SECONDS` in the sandbox's environment override
 * it. Receive counts and the dead-letter redrive are AWS's.
 */
export const SANDBOX_RETRY_TIME_SCALE = 1 / 1000;
const [deliveryQueue] = queueTable;
const SANDBOX_DEFAULTS = {
  NOTIFICATION_RETRY_BASE_SECONDS: String(deliveryQueue.retryBackoff.baseSeconds * SANDBOX_RETRY_TIME_SCALE),
  NOTIFICATION_RETRY_MAX_SECONDS: String(deliveryQueue.retryBackoff.maxSeconds * SANDBOX_RETRY_TIME_SCALE),
};
const SANDBOX_VISIBILITY_TIMEOUT_SECONDS = 5;

export interface SqsLocal {
  endpoint: string;
  /** What the handlers need to find the queues: the SDK endpoint, each queue's URL variable, the backoff. */
  environment: Record<string, string>;
  /** Starts each queue's event source mapping (once the handlers' environment is set). */
  startConsumers(): void;
  /** Queues, dead letters and consumer counts, for `/_sandbox/events`. */
  snapshot(): Record<string, unknown>;
  stop(): Promise<void>;
}

/**
 * The sandbox's SQS: every queue of the queue table with its dead-letter queue, an SQS endpoint for the SDK on
 * 127.0.0.1, and an in-process event source mapping per queue invoking its consumer. With a `stateFile`, the
 * messages still queued (dead letters included) are saved when it stops and restored when it starts again.
 */
export async function startSqsLocal(
  options: { stateFile?: string; definitions?: readonly QueueDefinition[] } = {},
): Promise<SqsLocal> {
  const definitions = options.definitions ?? queueTable;
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const make = (name: string, options: LocalQueue['options']) =>
    new LocalQueue(
      name,
      `${endpoint}/${ACCOUNT}/${name}`,
      `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
      options,
    );
  const pairs = definitions.map((definition) => {
    const deadLetterQueue = make(`${definition.name}DeadLetters`, {
      visibilityTimeoutSeconds: SANDBOX_VISIBILITY_TIMEOUT_SECONDS,
    });
    const queue = make(definition.name, {
      visibilityTimeoutSeconds: SANDBOX_VISIBILITY_TIMEOUT_SECONDS,
      redrive: { deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
    });
    return { definition, queue, deadLetterQueue, source: new SqsEventSource(queue, definition) };
  });
  const all = pairs.flatMap((p) => [p.queue, p.deadLetterQueue]);
  const { stateFile } = options;
  if (stateFile && existsSync(stateFile)) {
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, LocalMessage[]>;
    for (const queue of all) queue.restore(saved[queue.name] ?? []);
  }
  const server: Server = createSqsEndpoint(all);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });

  const environment: Record<string, string> = { AWS_ENDPOINT_URL_SQS: endpoint };
  for (const { definition, queue } of pairs) environment[definition.urlVariable] = queue.url;
  for (const [name, value] of Object.entries(SANDBOX_DEFAULTS))
    environment[name] = process.env[name] ?? value;

  return {
    endpoint,
    environment,
    startConsumers: () => {
      for (const p of pairs) p.source.start();
    },
    snapshot: () =>
      Object.fromEntries(
        pairs.map(({ definition, queue, deadLetterQueue, source }) => {
          const { messages: _all, ...state } = queue.state();
          return [
            definition.name,
            {
              ...state,
              counts: queue.counts,
              consumer: { function: definition.consumer, ...source.counts },
              deadLetters: deadLetterQueue.state().messages.map((m) => ({
                messageId: m.messageId,
                receiveCount: m.receiveCount,
                sentTimestamp: m.sentTimestamp,
                body: JSON.parse(m.body) as unknown,
              })),
            },
          ];
        }),
      ),
    stop: async () => {
      await Promise.all(pairs.map((p) => p.source.stop()));
      await new Promise<void>((r) => server.close(() => r()));
      if (stateFile) {
        writeFileSync(stateFile, JSON.stringify(Object.fromEntries(all.map((q) => [q.name, q.dump()]))));
      }
    },
  };
}
