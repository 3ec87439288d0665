import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { deliverNotification } from '#shared/notifications/deliver-notification';
import { retryBackoffFromEnvironment, retryDelaySeconds } from '#shared/notifications/delivery-backoff';
import { deliveryQueue, retryDeliveryLater } from '#shared/notifications/delivery-queue';
import { logger, metrics } from '#shared/observability/powertools';
import { publishMetrics } from '#shared/observability/publish-metrics';

/**
 * The notification delivery worker, fed by the delivery queue's event source mapping: attempts each message
 * of the batch at once, reschedules each failure with exponential backoff (its visibility timeout), and
 * reports failures as partial batch failures, so only they return; after `maxReceiveCount` attempts SQS moves
 * a message to the dead-letter queue.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .handler(async (event) => {
    const backoff = retryBackoffFromEnvironment(deliveryQueue.retryBackoff);
    const failures: SQSBatchItemFailure[] = [];
    await Promise.all(
      event.Records.map(async (record) => {
        const attempt = Number(record.attributes.ApproximateReceiveCount);
        let reason: string;
        let delay: number;
        let which: { subscriptionId?: string; eventId?: string } = {};
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
          which = { subscriptionId: outcome.subscriptionId, eventId: outcome.eventId };
          if (outcome.retry === 'busy') {
            // Another attempt is delivering it: look again when its lease runs out.
            reason = 'busy';
            delay = outcome.afterSeconds;
          } else if (outcome.final) {
            // The last attempt: SQS moves the message to the dead-letter queue now, not after a backoff.
            metrics.addMetric('NotificationsDeadLettered', 'Count', 1);
            logger.error('Notification dead-lettered after its last attempt', {
              messageId: record.messageId,
              ...which,
              attempt,
              reason: outcome.error,
              recovery: 'the receiver can fetch it with GET /Subscription/{id}/$events',
            });
            failures.push({ itemIdentifier: record.messageId });
            await retryDeliveryLater(record.receiptHandle, 0).catch(() => undefined);
            return;
          } else {
            reason = outcome.error;
            delay = retryDelaySeconds(attempt, backoff);
            metrics.addMetric('NotificationAttemptsFailed', 'Count', 1);
          }
        } catch (e) {
          reason = `Delivery could not be attempted: ${(e as Error).name}`;
          delay = retryDelaySeconds(attempt, backoff);
        }
        logger.warn('Delivery to retry', {
          messageId: record.messageId,
          ...which,
          attempt,
          reason,
          delaySeconds: delay,
        });
        failures.push({ itemIdentifier: record.messageId });
        await retryDeliveryLater(record.receiptHandle, delay).catch((e) =>
          logger.warn('Could not reschedule; the queue visibility timeout applies', {
            error: (e as Error).name,
          }),
        );
      }),
    );
    return { batchItemFailures: failures };
  });
