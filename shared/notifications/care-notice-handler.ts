import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { OutboxEvent } from '../events/detail-types.ts';
import { logger, metrics } from '../observability/powertools.ts';
import { publishMetrics } from '../observability/publish-metrics.ts';
import { raiseCareNotices } from './raise-care-notices.ts';
import { recordEvent } from './record-event.ts';

/**
 * The middy chain of a care-notice function: the event's Tasks are raised for whoever it concerns (which the
 * detail-type decides). Each notifier is its own function behind its own rule; they share this body.
 * A failure throws, so Lambda retries; Tasks already written are not written twice.
 */
export function careNoticeHandler() {
  return middy<EventBridgeEvent<string, OutboxEvent['detail']>, void>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics())
    .handler(async (event) => {
      const recorded = recordEvent(event);
      if (!recorded) return;
      const created = await raiseCareNotices(recorded);
      metrics.addMetric('CareNoticesCreated', 'Count', created.length);
    });
}
