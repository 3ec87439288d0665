import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type ServiceMetricName, serviceMetricNames } from './metric-names.ts';
import { singleMetric } from './powertools.ts';

export { METRICS_NAMESPACE, type ServiceMetricName, serviceMetricNames } from './metric-names.ts';

/**
 * Counts one occurrence of a service metric, emitted at once with the `service` dimension only, so the
 * stack's alarms read one metric per function whatever other dimensions the request's metrics carry.
 *
 * @example countServiceMetric(serviceMetricNames.accessDenied)
 */
export function countServiceMetric(name: ServiceMetricName, value = 1): void {
  singleMetric().addMetric(name, MetricUnit.Count, value);
}

/**
 * Counts a relationship started (a care context claimed) once for the alarm, and once per organisation (ODS
 * code, never patient data) for the dashboard.
 */
export function countRelationshipStarted(organisation: string): void {
  countServiceMetric(serviceMetricNames.relationshipStarted);
  singleMetric()
    .addDimensions({ organisation })
    .addMetric(serviceMetricNames.relationshipStartedByOrganisation, MetricUnit.Count, 1);
}
