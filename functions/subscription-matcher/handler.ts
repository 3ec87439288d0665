import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { OutboxEvent } from '#shared/events/detail-types';
import { enqueueDeliveries } from '#shared/notifications/delivery-queue';
import { deliveriesFor } from '#shared/notifications/match-subscriptions';
import { recordEvent } from '#shared/notifications/record-event';
import { logger, metrics } from '#shared/observability/powertools';
import { publishMetrics } from '#shared/observability/publish-metrics';

/**
 * The subscription matcher, behind the SubscriptionNotifications rule: queues one delivery per subscription
 * an event concerns. A failure throws, so Lambda retries the event; deliveries queued twice are delivered once.
 */
export const handler = middy<EventBridgeEvent<string, OutboxEvent['detail']>, void>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .handler(async (event) => {
    const recorded = recordEvent(event);
    if (!recorded) {
      logger.warn('Event names no patient or focus: nothing to match', { detailType: event['detail-type'] });
      return;
    }
    const deliveries = await deliveriesFor(recorded);
    await enqueueDeliveries(deliveries);
    metrics.addMetric('NotificationsQueued', 'Count', deliveries.length);
    logger.info('Event matched', { eventId: recorded.eventId, deliveries: deliveries.length });
  });
