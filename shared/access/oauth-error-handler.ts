import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { decodeJwt } from 'jose';
import { errorSummary } from '../observability/error-summary.ts';
import { logger } from '../observability/powertools.ts';
import { OAuthError } from './oauth-error.ts';

/** The client an assertion says it is from (`iss`, unverified), so a refusal's log line names who asked. */
function claimedClient(form: unknown): string | undefined {
  const assertion = (form as Record<string, unknown> | null)?.client_assertion;
  if (typeof assertion !== 'string') return undefined;
  try {
    const iss = decodeJwt(assertion).iss;
    // Only what could be a client id: an attacker's text stays out of the logs.
    return typeof iss === 'string' && /^[\w.:-]{1,128}$/.test(iss) ? iss : undefined;
  } catch {
    return undefined;
  }
}

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
        logger.info('Token request refused', {
          error: e.error,
          reason: e.description,
          clientId: claimedClient(request.event.body),
        });
        request.response = json(e.status, { error: e.error, error_description: e.description });
      } else {
        logger.error('Token endpoint failed', { error: errorSummary(e) });
        request.response = json(500, { error: 'server_error' });
      }
    },
  };
}
