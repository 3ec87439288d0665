import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { interactionMetrics } from '../observability/interaction-metrics.ts';
import { logger } from '../observability/powertools.ts';
import { publishMetrics } from '../observability/publish-metrics.ts';
import { correlationIds } from './correlation.ts';
import { fhirErrorHandler } from './fhir-error-handler.ts';
import { invocationContext } from './invocation-context.ts';
import { noStore } from './no-store.ts';
import { requestLog } from './request-log.ts';
import { strictRequest } from './strict-request.ts';

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * The one middy chain of every FHIR function: Powertools logger context and metrics (with each request's
 * outcome, denials and break-glass uses), ambiguous or malformed requests refused, lower-cased headers,
 * correlation ids on every log line and echoed back, one log line per request, `Cache-Control: no-store` on every answer,
 * and any error answered as an OperationOutcome.
 */
export function fhirMiddleware(handler: ApiHandler) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(invocationContext())
    .use(publishMetrics())
    .use(interactionMetrics())
    .use(strictRequest())
    .use(httpHeaderNormalizer())
    .use(correlationIds())
    .use(requestLog())
    .use(noStore())
    .use(fhirErrorHandler())
    .handler(handler);
}
