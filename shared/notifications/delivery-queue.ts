import { type QueueDefinition, queueConsumedBy } from '../service/queues.ts';
import type { DeliveryMessage } from './delivery-message.ts';

/** The notification delivery queue, as the queue table declares it. */
export const deliveryQueue = queueConsumedBy('notification-delivery') as QueueDefinition;

let loaded:
  | Promise<typeof import('@aws-sdk/client-sqs') & { sqs: import('@aws-sdk/client-sqs').SQSClient }>
  | undefined;

/**
 * The SQS SDK and one client, loaded on first use: the delivery function needs SQS only to put a failed delivery
 * off (most deliveries succeed), so it does not pay the import at a cold start. The sandbox points the client at
 * its local SQS endpoint with AWS_ENDPOINT_URL_SQS.
 */
function sqsSdk() {
  loaded ??= import('@aws-sdk/client-sqs').then((sdk) => ({ ...sdk, sqs: new sdk.SQSClient({}) }));
  return loaded;
}

/** SendMessageBatch's limit. */
const BATCH = 10;

function queueUrl(): string {
  const url = process.env[deliveryQueue.urlVariable];
  if (!url) throw new Error(`${deliveryQueue.urlVariable} is not set`);
  return url;
}

/**
 * Queues one message per delivery, ten to a SendMessageBatch.
 * @throws Error when any message was not accepted, so the caller's invocation is retried (the deliveries
 * already queued are dropped as duplicates when their turn comes)
 */
export async function enqueueDeliveries(messages: DeliveryMessage[]): Promise<void> {
  const QueueUrl = queueUrl();
  const { sqs, SendMessageBatchCommand } = await sqsSdk();
  for (let i = 0; i < messages.length; i += BATCH) {
    const batch = messages.slice(i, i + BATCH);
    const { Failed = [] } = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: batch.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })),
      }),
    );
    if (Failed.length) {
      throw new Error(`${Failed.length} deliveries were not queued: ${Failed[0]?.Code ?? 'unknown'}`);
    }
  }
}

/** Hides a received message for `seconds` before its next attempt: the backoff between delivery attempts. */
export async function retryDeliveryLater(receiptHandle: string, seconds: number): Promise<void> {
  const { sqs, ChangeMessageVisibilityCommand } = await sqsSdk();
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl(),
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: seconds,
    }),
  );
}
