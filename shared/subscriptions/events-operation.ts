import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { BadRequestError } from '../fhir/operation-outcome.ts';
import { NOTIFICATION_PROFILE } from './backport.ts';
import type { DeliveryState } from './delivery-state.ts';
import type { PastEvent } from './event-history.ts';
import { subscriptionStatus } from './subscription-status.ts';
import type { StoredSubscription } from './subscription-store.ts';
import { subscriptionTopics } from './subscription-topics.ts';

/** The backport's `$events` parameters (R4): event numbers, inclusive. */
export const EVENTS_PARAMETERS = ['eventsSinceNumber', 'eventsUntilNumber'] as const;

/**
 * Reads `$events`' query: `eventsSinceNumber` and `eventsUntilNumber`, positive whole numbers; anything else
 * is a 400 that names what the operation takes.
 */
export function eventsRange(query: Record<string, string | undefined>): { since?: number; until?: number } {
  const range: { since?: number; until?: number } = {};
  for (const [name, value] of Object.entries(query)) {
    if (!(EVENTS_PARAMETERS as readonly string[]).includes(name)) {
      throw new BadRequestError(`Unknown parameter '${name}': $events takes ${EVENTS_PARAMETERS.join(', ')}`);
    }
    if (!/^\d+$/.test(value ?? '')) throw new BadRequestError(`${name} must be an event number (1, 2, …)`);
    range[name === 'eventsSinceNumber' ? 'since' : 'until'] = Number(value);
  }
  return range;
}

/**
 * The backport's `$events` answer: a `history` Bundle like a notification, whose SubscriptionStatus is of type
 * `query-event` and lists each past event (number, time, focus for `id-only`), then one entry per focus — so a
 * receiver that was down reads what it missed as it would have received it.
 */
export function eventsBundle(
  found: { subscription: StoredSubscription; state: DeliveryState },
  events: PastEvent[],
  fhirBase: string,
  next?: string,
): Bundle {
  const { subscription, state } = found;
  const url = `${fhirBase}/Subscription/${subscription.id}`;
  const idOnly = subscription.content === 'id-only';
  const status = subscriptionStatus({
    subscription: url,
    topic: subscriptionTopics.find((t) => t.code === subscription.topic)?.url,
    type: 'query-event',
    state,
    fhirBase,
  });
  status.parameter?.push(
    ...events.map((e) => ({
      name: 'notification-event',
      part: [
        { name: 'event-number', valueString: String(e.eventNumber) },
        { name: 'timestamp', valueInstant: e.occurred },
        ...(idOnly ? [{ name: 'focus', valueReference: { reference: `${fhirBase}/${e.focus}` } }] : []),
      ],
    })),
  );
  const focus: BundleEntry[] = idOnly
    ? events.map((e) => ({
        fullUrl: `${fhirBase}/${e.focus}`,
        request: { method: 'PUT', url: e.focus },
        response: { status: '200' },
      }))
    : [];
  return {
    resourceType: 'Bundle',
    meta: { profile: [NOTIFICATION_PROFILE] },
    type: 'history',
    timestamp: new Date().toISOString(),
    ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
    entry: [
      { resource: status, request: { method: 'GET', url: `${url}/$events` }, response: { status: '200' } },
      ...focus,
    ],
  };
}
