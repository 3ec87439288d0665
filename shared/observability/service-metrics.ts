import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metrics } from './powertools.ts';

/** The CloudWatch namespace of the service's own metrics (the functions' `POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'shared-care-record';

/**
 * The service's own CloudWatch metrics (namespace `shared-care-record`, dimension `service` = the function),
 * declared once: the functions emit them, the stack's dashboard and alarms read them by these names, and the
 * sandbox's ops page counts them.
 */
export const serviceMetricNames = {
  /** Every FHIR request, with dimensions `interaction` and `outcome` (`2xx`, `4xx`, `5xx`). */
  requests: 'Requests',
  /** A request refused by the access rules (403): no relationship, objection, scope, another's resource. */
  accessDenied: 'AccessDenied',
  /** A request allowed under break-glass (`NHSD-Purpose-Of-Use: ETREAT`). */
  breakGlass: 'BreakGlass',
  /** Events the outbox publisher put on the bus. */
  eventsPublished: 'EventsPublished',
  /** Outbox batches the publisher could not put on the bus (Lambda retries them). */
  eventPublishFailures: 'EventPublishFailures',
  /** Subscription notifications delivered to a supplier's endpoint. */
  deliverySucceeded: 'DeliverySucceeded',
  /** Subscription notification attempts that failed (each retry counts). */
  deliveryFailed: 'DeliveryFailed',
} as const;

export type ServiceMetricName = (typeof serviceMetricNames)[keyof typeof serviceMetricNames];

type Listener = (name: ServiceMetricName, value: number) => void;
const listeners = new Set<Listener>();

/**
 * Counts one occurrence of a service metric, emitted at once with the `service` dimension only, so the
 * stack's alarms can read one metric per function whatever the request's other dimensions.
 *
 * @example countServiceMetric(serviceMetricNames.deliverySucceeded)
 */
export function countServiceMetric(name: ServiceMetricName, value = 1): void {
  metrics.singleMetric().addMetric(name, MetricUnit.Count, value);
  for (const listener of listeners) listener(name, value);
}

/**
 * Calls `listener` for every service metric counted in this process: the sandbox feeds its ops page with it.
 * Returns a function that stops listening.
 */
export function onServiceMetric(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
