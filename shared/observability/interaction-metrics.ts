import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { metrics } from './powertools.ts';
import { countServiceMetric, serviceMetricNames } from './service-metrics.ts';

type ApiRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult>;

/**
 * Adds the outcome (`2xx`, `4xx`, `5xx`) as a dimension of the request's metrics, and counts access denials
 * (403) and allowed break-glass requests. Registered after `logMetrics` and before the FHIR error handler, so
 * it runs after the error handler has turned a thrown error into its response, and before metrics are flushed.
 */
export function interactionMetrics(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const record = ({ event, response }: ApiRequest) => {
    const status = response?.statusCode ?? 500;
    metrics.addDimension('outcome', `${Math.floor(status / 100)}xx`);
    if (status === 403) countServiceMetric(serviceMetricNames.accessDenied);
    const purpose = event.headers?.['nhsd-purpose-of-use'] ?? event.headers?.['NHSD-Purpose-Of-Use'];
    if (status < 400 && purpose?.trim().toUpperCase() === 'ETREAT') {
      countServiceMetric(serviceMetricNames.breakGlass);
    }
  };
  return { after: record, onError: record };
}
