import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { deliverNotification } from '#shared/notifications/deliver-notification';
import { retryBackoffFromEnvironment, retryDelaySeconds } from '#shared/notifications/delivery-backoff';
import { deliveryQueue, retryDeliveryLater } from '#shared/notifications/delivery-queue';
import { logger, metrics } from '#shared/observability/powertools';

/**
 * The notification delivery worker, fed by the delivery queue's event source mapping: attempts each message
 * of the batch at once, reschedules each failure with exponential backoff (its visibility timeout), and
 * reports failures as partial batch failures, so only they return; after `maxReceiveCount` attempts SQS moves
 * a message to the dead-letter queue.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const backoff = retryBackoffFromEnvironment(deliveryQueue.retryBackoff);
    const failures: SQSBatchItemFailure[] = [];
    await Promise.all(
      event.Records.map(async (record) => {
        const attempt = Number(record.attributes.ApproximateReceiveCount);
        let retry: string;
        let final = false;
        try {
          const outcome = await deliverNotification(record, deliveryQueue.maxReceiveCount);
          if ('done' in outcome) {
            metrics.addMetric(
              outcome.done === 'delivered' ? 'NotificationsDelivered' : 'DeliveriesSkipped',
              'Count',
              1,
            );
            return;
          }
          retry = outcome.error ?? outcome.retry;
          final = outcome.final === true;
          if (final) metrics.addMetric('NotificationsDeadLettered', 'Count', 1);
        } catch (e) {
          retry = `Delivery could not be attempted: ${(e as Error).name}`;
        }
        logger.warn('Delivery to retry', { messageId: record.messageId, attempt, reason: retry });
        metrics.addMetric('NotificationAttemptsFailed', 'Count', 1);
        failures.push({ itemIdentifier: record.messageId });
        // After the last attempt the message should reach the dead-letter queue now, not after a backoff.
        const delay = final ? 0 : retryDelaySeconds(attempt, backoff);
        await retryDeliveryLater(record.receiptHandle, delay).catch((e) =>
          logger.warn('Could not reschedule; the queue visibility timeout applies', { error: String(e) }),
        );
      }),
    );
    return { batchItemFailures: failures };
  });
