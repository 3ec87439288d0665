import type { FunctionName } from './functions.ts';

/**
 * One SQS work queue: its producers send to it, an event source mapping feeds its consumer, and messages that
 * fail `maxReceiveCount` receives move to its dead-letter queue. The CDK stack builds it; the sandbox runs the
 * same definition on its local SQS endpoint and poller.
 */
export interface QueueDefinition {
  name: string;
  description: string;
  /** Functions that send to the queue: granted SendMessage, and told its URL. */
  producers: FunctionName[];
  /** The function the queue's event source mapping invokes (it reports partial batch failures). */
  consumer: FunctionName;
  /** The environment variable that carries the queue's URL to producers and consumer. */
  urlVariable: string;
  batchSize: number;
  /** How long the mapping waits to fill a batch; 0 for the lowest latency. */
  maxBatchingWindowSeconds: number;
  /** Concurrent batches at most (Lambda's SQS `maximumConcurrency`, 2 to 1000). */
  maxConcurrency: number;
  /** How long a received message stays hidden when the consumer neither deletes nor reschedules it. */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /**
   * Backoff between attempts: the consumer hides a failed message for `baseSeconds * 2^(attempt-1)`, at most
   * `maxSeconds`. The sandbox shortens these (see local/sqs-local.ts).
   */
  retryBackoff: { baseSeconds: number; maxSeconds: number };
}

/** The one queue table. */
export const queues = [
  {
    name: 'NotificationDeliveries',
    description: 'One message per (subscription, event): the rest-hook notifications still to deliver',
    producers: ['subscription-matcher'],
    consumer: 'notification-delivery',
    urlVariable: 'NOTIFICATION_QUEUE_URL',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    maxConcurrency: 20,
    // Six times the consumer's timeout, as AWS advises for SQS event sources.
    visibilityTimeoutSeconds: 180,
    // 30 s, 1, 2, 4, 8, 16, 32 min, then hourly: about three hours of retries before the dead-letter queue.
    maxReceiveCount: 10,
    retryBackoff: { baseSeconds: 30, maxSeconds: 3600 },
  },
] as const satisfies readonly QueueDefinition[];

export type QueueName = (typeof queues)[number]['name'];

/** The queue a function consumes, or undefined. */
export function queueConsumedBy(consumer: FunctionName): QueueDefinition | undefined {
  return (queues as readonly QueueDefinition[]).find((q) => q.consumer === consumer);
}
