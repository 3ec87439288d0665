import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { errorSummary } from '../observability/error-summary.ts';
import { logger } from '../observability/powertools.ts';
import { OAuthError } from './oauth-error.ts';

const json = (statusCode: number, body: object): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  body: JSON.stringify(body),
});

/**
 * Answers token-endpoint failures as RFC 6749 §5.2 error bodies. Anything unexpected is a 500 with no detail.
 */
export function oauthErrorHandler(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      const e = request.error as Error | undefined;
      if (e instanceof OAuthError) {
        logger.info('Token request refused', { error: e.error });
        request.response = json(e.status, { error: e.error, error_description: e.description });
      } else {
        logger.error('Token endpoint failed', { error: errorSummary(e) });
        request.response = json(500, { error: 'server_error' });
      }
    },
  };
}
