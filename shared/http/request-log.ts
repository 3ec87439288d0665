import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { logger } from '../observability/powertools.ts';

/**
 * One log line per request: the route template (never the path, which holds NHS numbers and ids), the
 * method, the status and the time taken. Runs outside the error handler, so it sees the final status.
 */
export function requestLog(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  let started = 0;
  const log = (event: APIGatewayProxyEvent, response: APIGatewayProxyResult | null | undefined) =>
    logger.info('Request handled', {
      route: event.resource,
      method: event.httpMethod,
      status: response?.statusCode,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
  return {
    before: () => {
      started = performance.now();
    },
    after: ({ event, response }) => log(event, response),
    onError: ({ event, response }) => log(event, response),
  };
}
