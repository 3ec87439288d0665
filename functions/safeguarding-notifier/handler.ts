import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { OutboxEvent } from '#shared/events/detail-types';
import { raiseCareNotices } from '#shared/notifications/raise-care-notices';
import { recordEvent } from '#shared/notifications/record-event';
import { logger, metrics } from '#shared/observability/powertools';
import { publishMetrics } from '#shared/observability/publish-metrics';

/**
 * The safeguarding notifier, behind the SafeguardingNotices rule: a Task for each organisation related to
 * the patient, other than the one that raised the concern.
 * A failure throws, so Lambda retries; Tasks already written are not written twice.
 */
export const handler = middy<EventBridgeEvent<string, OutboxEvent['detail']>, void>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .handler(async (event) => {
    const recorded = recordEvent(event);
    if (!recorded) return;
    const created = await raiseCareNotices(recorded);
    metrics.addMetric('CareNoticesCreated', 'Count', created.length);
  });
