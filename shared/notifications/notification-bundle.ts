import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { NOTIFICATION_PROFILE, type PayloadContent } from '../subscriptions/backport.ts';
import type { DeliveryState } from '../subscriptions/delivery-state.ts';
import { type NotificationEvent, subscriptionStatus } from '../subscriptions/subscription-status.ts';
import { stableUuid } from './stable-uuid.ts';

export interface NotificationInput {
  subscriptionId: string;
  topicUrl: string;
  content: PayloadContent;
  state: DeliveryState;
  /** The event's stable id: the bundle and its status entry keep their ids across delivery attempts. */
  eventId: string;
  event: Required<NotificationEvent>;
  fhirBase: string;
  assembled?: Date;
}

/**
 * A rest-hook notification as the backport defines it for R4: a `history` Bundle whose first entry is the
 * SubscriptionStatus Parameters (with the `$status` request it answers), then, for `id-only`, an entry naming
 * the focus by its URL alone. No resource content is ever included.
 */
export function notificationBundle(input: NotificationInput): Bundle {
  const subscription = `${input.fhirBase}/Subscription/${input.subscriptionId}`;
  const statusId = stableUuid(input.subscriptionId, input.eventId, 'status');
  const idOnly = input.content === 'id-only';
  const status: BundleEntry = {
    fullUrl: `urn:uuid:${statusId}`,
    resource: subscriptionStatus({
      id: statusId,
      subscription,
      ...(idOnly ? { topic: input.topicUrl } : {}),
      type: 'event-notification',
      state: input.state,
      event: idOnly ? input.event : { number: input.event.number, timestamp: input.event.timestamp },
      fhirBase: input.fhirBase,
    }),
    request: { method: 'GET', url: `${subscription}/$status` },
    response: { status: '200' },
  };
  const focus: BundleEntry[] = idOnly
    ? [
        {
          fullUrl: `${input.fhirBase}/${input.event.focus}`,
          request: { method: 'PUT', url: input.event.focus },
          response: { status: '200' },
        },
      ]
    : [];
  return {
    resourceType: 'Bundle',
    id: stableUuid(input.subscriptionId, input.eventId),
    meta: { profile: [NOTIFICATION_PROFILE] },
    type: 'history',
    timestamp: (input.assembled ?? new Date()).toISOString(),
    entry: [status, ...focus],
  };
}
