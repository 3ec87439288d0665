import type { Parameters, ParametersParameter } from '@medplum/fhirtypes';
import { SUBSCRIPTION_STATUS_PROFILE } from './backport.ts';
import type { DeliveryState } from './delivery-state.ts';

/** One event a notification carries. */
export interface NotificationEvent {
  number: number;
  timestamp: string;
  /** `Encounter/123`, made absolute with the FHIR base; left out of `empty` notifications. */
  focus?: string;
}

export interface SubscriptionStatusInput {
  id?: string;
  /** Absolute URL of the Subscription. */
  subscription: string;
  /** The topic's canonical URL; left out of `empty` notifications, as the backport advises. */
  topic?: string;
  type: 'event-notification' | 'query-status' | 'query-event';
  state: DeliveryState;
  event?: NotificationEvent;
  fhirBase: string;
}

/**
 * The backport's SubscriptionStatus for R4: a Parameters (profile `backport-subscription-status-r4`) with the
 * subscription, topic, status, type, events since the subscription started and the event notified. A status
 * query adds the last error and the service's own delivery counts (`events-delivered`, `events-dead-lettered`,
 * `last-delivered`, `last-error-time`), which the profile's open slicing allows.
 */
export function subscriptionStatus(input: SubscriptionStatusInput): Parameters {
  const { state, event } = input;
  const parameter: ParametersParameter[] = [
    { name: 'subscription', valueReference: { reference: input.subscription } },
    ...(input.topic ? [{ name: 'topic', valueCanonical: input.topic }] : []),
    { name: 'status', valueCode: state.status },
    { name: 'type', valueCode: input.type },
    {
      name: 'events-since-subscription-start',
      valueString: String(Math.max(state.eventsSinceStart, event?.number ?? 0)),
    },
  ];
  if (event) {
    parameter.push({
      name: 'notification-event',
      part: [
        { name: 'event-number', valueString: String(event.number) },
        { name: 'timestamp', valueInstant: event.timestamp },
        ...(event.focus
          ? [{ name: 'focus', valueReference: { reference: `${input.fhirBase}/${event.focus}` } }]
          : []),
      ],
    });
  }
  if (input.type === 'query-status') {
    if (state.lastError) parameter.push({ name: 'error', valueCodeableConcept: { text: state.lastError } });
    parameter.push(
      { name: 'events-delivered', valueUnsignedInt: state.delivered },
      { name: 'events-dead-lettered', valueUnsignedInt: state.deadLettered },
      ...(state.lastDelivered ? [{ name: 'last-delivered', valueInstant: state.lastDelivered }] : []),
      ...(state.lastErrorAt ? [{ name: 'last-error-time', valueInstant: state.lastErrorAt }] : []),
    );
  }
  return {
    resourceType: 'Parameters',
    ...(input.id ? { id: input.id } : {}),
    meta: { profile: [SUBSCRIPTION_STATUS_PROFILE] },
    parameter,
  };
}
