import type { Element, Subscription, SubscriptionChannel } from '@medplum/fhirtypes';

/** Canonical URLs of the FHIR Subscriptions R5 Backport IG (R4) the service uses. */
const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

export const BACKPORT_SUBSCRIPTION_PROFILE = `${BACKPORT}/backport-subscription`;
export const FILTER_CRITERIA_URL = `${BACKPORT}/backport-filter-criteria`;
export const PAYLOAD_CONTENT_URL = `${BACKPORT}/backport-payload-content`;
export const HEARTBEAT_PERIOD_URL = `${BACKPORT}/backport-heartbeat-period`;
export const SUBSCRIPTION_STATUS_PROFILE = `${BACKPORT}/backport-subscription-status-r4`;
export const NOTIFICATION_PROFILE = `${BACKPORT}/backport-subscription-notification-r4`;
export const TOPIC_CANONICAL_URL = `${BACKPORT}/capabilitystatement-subscriptiontopic-canonical`;
export const STATUS_OPERATION_URL =
  'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status';

/** The service's own extension carrying the secret notifications are signed with; never returned. */
export const SUBSCRIPTION_SECRET_URL =
  'https://shared-care-record.org/fhir/StructureDefinition/subscription-secret';

/** How much a notification carries: the focus reference, or nothing. Full resources are never sent. */
export type PayloadContent = 'id-only' | 'empty';

/**
 * A Subscription as R4 JSON writes it: extensions on the primitive `criteria` and `channel.payload` sit in
 * `_criteria` and `channel._payload`, which the generated types leave out.
 */
export type BackportSubscription = Subscription & {
  _criteria?: Element;
  channel: SubscriptionChannel & { _payload?: Element };
};
