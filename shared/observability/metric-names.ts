/** The CloudWatch namespace of the service's own metrics (the functions' `POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'shared-care-record';

/**
 * The service's own CloudWatch metrics (namespace `shared-care-record`, dimension `service` = the function) that
 * the stack's dashboard and alarms read, declared once: the functions emit them under these names and the
 * sandbox's ops page counts them.
 */
export const serviceMetricNames = {
  /** Every response of a FHIR function, with dimensions `interaction` and `outcome` (`2xx`, `4xx`, `5xx`). */
  responses: 'Responses',
  /** A request refused by the access rules (403): no relationship, objection, scope, another's resource. */
  accessDenied: 'AccessDenied',
  /** A request allowed under break-glass (`NHSD-Purpose-Of-Use: ETREAT`). */
  breakGlass: 'BreakGlass',
  /** A relationship with a patient started by recording a care context (CONTRACT §4); the alarm reads it. */
  relationshipStarted: 'RelationshipStarted',
  /** The same, with dimension `organisation` (the ODS code whose relationship started), for the dashboard. */
  relationshipStartedByOrganisation: 'RelationshipStartedByOrganisation',
  /** Events the outbox publisher put on the bus. */
  eventsPublished: 'EventsPublished',
  /** Outbox batches the publisher could not put on the bus (Lambda retries them). */
  eventPublishFailures: 'EventPublishFailures',
  /** Subscription notifications delivered to a supplier's endpoint (the notification-delivery function). */
  deliverySucceeded: 'NotificationsDelivered',
  /** Subscription notification attempts that failed; each is retried with backoff. */
  deliveryFailed: 'NotificationAttemptsFailed',
  /** Notifications that failed every attempt and went to the delivery dead-letter queue. */
  deliveryDeadLettered: 'NotificationsDeadLettered',
  /** A Flag stored that looks like a safeguarding concern but whose code is not on the list: no alert raised. */
  safeguardingCodeNotListed: 'SafeguardingCodeNotListed',
} as const;

export type ServiceMetricName = (typeof serviceMetricNames)[keyof typeof serviceMetricNames];
