import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { logger } from '../observability/powertools.ts';

const ECHOED = ['x-request-id', 'x-correlation-id'] as const;

/**
 * Puts the request and correlation ids on every log line of the request, and echoes the caller's
 * `X-Request-ID` and `X-Correlation-ID` on the response (errors included). Runs after header normalisation.
 */
export function correlationIds(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const echo = (event: APIGatewayProxyEvent, response: APIGatewayProxyResult | null | undefined) => {
    if (!response) return;
    response.headers ??= {};
    if (event.headers['x-request-id']) response.headers['X-Request-ID'] = event.headers['x-request-id'];
    if (event.headers['x-correlation-id'])
      response.headers['X-Correlation-ID'] = event.headers['x-correlation-id'];
  };
  return {
    before: ({ event }) => {
      logger.appendKeys({
        requestId: event.requestContext?.requestId,
        ...Object.fromEntries(ECHOED.filter((h) => event.headers[h]).map((h) => [h, event.headers[h]])),
      });
    },
    after: ({ event, response }) => echo(event, response),
    onError: ({ event, response }) => echo(event, response),
  };
}
