import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { correlationIds } from '../http/correlation.ts';
import type { ApiHandler } from '../http/fhir-middleware.ts';
import { invocationContext } from '../http/invocation-context.ts';
import { requestLog } from '../http/request-log.ts';
import { interactionMetrics } from '../observability/interaction-metrics.ts';
import { logger } from '../observability/powertools.ts';
import { publishMetrics } from '../observability/publish-metrics.ts';
import { viewerErrorHandler } from './viewer-error-handler.ts';

/** The FHIR functions' middy chain with the viewer's error handler, which answers people with pages. */
export function viewerMiddleware(handler: ApiHandler) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(invocationContext())
    .use(publishMetrics())
    .use(interactionMetrics())
    .use(httpHeaderNormalizer())
    .use(correlationIds())
    .use(requestLog())
    .use(viewerErrorHandler())
    .handler(handler);
}
