import type { SQSRecord } from 'aws-lambda';
import { logger } from '../observability/powertools.ts';
import { readSubscription } from '../subscriptions/subscription-store.ts';
import { subscriptionTopics } from '../subscriptions/subscription-topics.ts';
import { claimDelivery, recordDelivered, recordFailed } from './delivery-ledger.ts';
import { parseDeliveryMessage } from './delivery-message.ts';
import { notificationBundle } from './notification-bundle.ts';
import { notificationSignature, SIGNATURE_HEADER } from './notification-signature.ts';
import { DeliveryFailedError, postNotification } from './rest-hook.ts';

/** How long an endpoint has to answer (the backport's `timeout`, fixed by the service). */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** How long a claimed delivery is held: longer than an attempt can take, so no two attempts overlap. */
const LEASE_SECONDS = 60;

/** What became of one queued delivery: done with it, or try again later. */
export type DeliveryOutcome =
  | { done: 'delivered' | 'duplicate' | 'dropped' }
  | { retry: 'failed'; error: string; final: boolean; subscriptionId: string; eventId: string }
  | { retry: 'busy'; afterSeconds: number; subscriptionId: string; eventId: string };

/**
 * Makes one attempt at a queued notification: claims the (subscription, event) pair so it is delivered once,
 * builds and signs the notification, POSTs it with the subscription's headers, and records the outcome for
 * `$status`. A deleted subscription's deliveries are dropped; a malformed message too.
 */
export async function deliverNotification(
  record: Pick<SQSRecord, 'body' | 'attributes' | 'messageId'>,
  maxReceiveCount: number,
): Promise<DeliveryOutcome> {
  let message: ReturnType<typeof parseDeliveryMessage>;
  try {
    message = parseDeliveryMessage(record.body);
  } catch (e) {
    // The message's text may name a patient: log only what kind of error it was.
    logger.error('Dropping a malformed delivery message', {
      messageId: record.messageId,
      error: (e as Error).name,
    });
    return { done: 'dropped' };
  }
  const found = await readSubscription(message.subscriptionId);
  if (!found || found.subscription.deleted) return { done: 'dropped' };
  const { subscription, state } = found;

  const claim = await claimDelivery(subscription.id, message.eventId, LEASE_SECONDS, {
    focus: message.focus,
    occurred: message.occurred,
  });
  if (claim.outcome === 'delivered') return { done: 'duplicate' };
  const which = { subscriptionId: subscription.id, eventId: message.eventId };
  if (claim.outcome === 'busy') return { retry: 'busy', afterSeconds: claim.retryAfterSeconds, ...which };

  const body = JSON.stringify(
    notificationBundle({
      subscriptionId: subscription.id,
      topicUrl: subscriptionTopics.find((t) => t.code === subscription.topic)?.url ?? subscription.topic,
      content: subscription.content,
      // A notification that arrives shows the subscription working again; `$status` keeps the last error.
      state: { ...state, status: state.status === 'off' ? 'off' : 'active' },
      eventId: message.eventId,
      event: { number: claim.eventNumber, timestamp: message.occurred, focus: message.focus },
      fhirBase: subscription.fhirBase,
    }),
  );
  const headers: Record<string, string> = { 'Content-Type': 'application/fhir+json; charset=utf-8' };
  for (const h of subscription.headers) headers[h.name] = h.value;
  headers['User-Agent'] = 'shared-care-record-notifications';
  if (subscription.secret) headers[SIGNATURE_HEADER] = notificationSignature(body, subscription.secret);

  try {
    await postNotification({
      endpoint: subscription.endpoint,
      local: subscription.local,
      body,
      headers,
      timeoutMs: DELIVERY_TIMEOUT_MS,
    });
  } catch (e) {
    const error = e instanceof DeliveryFailedError ? e.message : `Delivery failed (${(e as Error).name})`;
    const final = Number(record.attributes.ApproximateReceiveCount) >= maxReceiveCount;
    await recordFailed(subscription.id, message.eventId, error, final);
    return { retry: 'failed', error, final, ...which };
  }
  await recordDelivered(subscription.id, message.eventId);
  logger.info('Notification delivered', { ...which, eventNumber: claim.eventNumber });
  return { done: 'delivered' };
}
