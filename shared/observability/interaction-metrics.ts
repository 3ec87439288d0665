import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { routeFor } from '../service/routes.ts';
import { serviceMetricNames } from './metric-names.ts';
import { singleMetric } from './powertools.ts';
import { countServiceMetric } from './service-metrics.ts';

type ApiRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult>;

/**
 * Counts every response by interaction and outcome (`2xx`, `4xx`, `5xx`), access denials (403) and allowed
 * break-glass requests, each as a single metric with its own dimensions, so nothing is added to the dimensions
 * of the handler's other metrics. Registered before the FHIR error handler, so it sees the status that handler
 * gives a thrown error.
 */
export function interactionMetrics(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const record = ({ event, response }: ApiRequest) => {
    const status = response?.statusCode ?? 500;
    const interaction = routeFor(event.httpMethod, event.resource)?.interaction ?? 'unknown';
    singleMetric()
      .addDimensions({ interaction, outcome: `${Math.floor(status / 100)}xx` })
      .addMetric(serviceMetricNames.responses, MetricUnit.Count, 1);
    if (status === 403) countServiceMetric(serviceMetricNames.accessDenied);
    const purpose = event.headers?.['nhsd-purpose-of-use'];
    if (status < 400 && purpose?.trim().toUpperCase() === 'ETREAT') {
      countServiceMetric(serviceMetricNames.breakGlass);
    }
  };
  return { after: record, onError: record };
}
