import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { outboxEntries } from '#shared/events/outbox-publishing';
import { logger, metrics } from '#shared/observability/powertools';
import { publishMetrics } from '#shared/observability/publish-metrics';

const eventBridge = new EventBridgeClient({});
/** PutEvents takes at most 10 entries a call. */
const PUT_EVENTS_LIMIT = 10;

/**
 * The outbox publisher: puts the events of new journal entries on the bus, in stream order. On a failure it
 * reports the first record not fully published, so Lambda retries from there (bisecting, then the on-failure
 * queue); events already sent may be sent again, and subscribers drop them by their stable `eventId`.
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .handler(async (event) => {
    const bus = process.env.EVENT_BUS_NAME ?? 'default';
    const pending: { entry: PutEventsRequestEntry; record: number }[] = event.Records.flatMap((r, record) =>
      outboxEntries(r, bus).map((entry) => ({ entry, record })),
    );
    let firstFailed = Number.POSITIVE_INFINITY;
    for (let i = 0; i < pending.length; i += PUT_EVENTS_LIMIT) {
      const chunk = pending.slice(i, i + PUT_EVENTS_LIMIT);
      if ((chunk[0]?.record ?? 0) >= firstFailed) break;
      try {
        const result = await eventBridge.send(new PutEventsCommand({ Entries: chunk.map((c) => c.entry) }));
        result.Entries?.forEach((e, j) => {
          if (e.ErrorCode) firstFailed = Math.min(firstFailed, chunk[j]?.record ?? 0);
        });
        metrics.addMetric('EventsPublished', 'Count', chunk.length - (result.FailedEntryCount ?? 0));
      } catch (e) {
        logger.warn('PutEvents failed', { error: (e as Error).name });
        firstFailed = Math.min(firstFailed, chunk[0]?.record ?? 0);
      }
    }
    if (firstFailed === Number.POSITIVE_INFINITY) return { batchItemFailures: [] };
    metrics.addMetric('EventPublishFailures', 'Count', 1);
    const sequence = event.Records[firstFailed]?.dynamodb?.SequenceNumber as string;
    return { batchItemFailures: [{ itemIdentifier: sequence }] };
  });
