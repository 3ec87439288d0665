import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpUrlencodeBodyParser from '@middy/http-urlencode-body-parser';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { OAuthError } from '#shared/access/oauth-error';
import { oauthErrorHandler } from '#shared/access/oauth-error-handler';
import { grantAccessToken } from '#shared/access/token-request';
import { tokenSigner } from '#shared/access/token-signer';
import { correlationIds } from '#shared/http/correlation';
import { publicBaseUrl } from '#shared/http/public-url';
import { repeatedSingletonHeader } from '#shared/http/strict-request';
import { logger } from '#shared/observability/powertools';
import { routeFor } from '#shared/service/routes';

const json = (body: object, cache = 'no-store'): APIGatewayProxyResult => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': cache },
  body: JSON.stringify(body),
});

/** `POST /oauth2/token` (client credentials with a private-key JWT) and `GET /.well-known/jwks.json`. */
export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpHeaderNormalizer())
  .use(correlationIds())
  .use(httpUrlencodeBodyParser({ disableContentTypeError: true }))
  .use(oauthErrorHandler())
  .handler(async (event) => {
    const base = publicBaseUrl(event);
    const interaction = routeFor(event.httpMethod, event.resource)?.interaction;
    if (interaction === 'method-not-allowed') {
      return {
        statusCode: 405,
        headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Allow: 'POST' },
        body: JSON.stringify({
          error: 'invalid_request',
          error_description:
            'The token endpoint takes POST with a form-encoded body: grant_type=client_credentials, ' +
            'client_assertion_type and client_assertion',
        }),
      };
    }
    if (interaction === 'jwks') {
      return json(await tokenSigner().publicJwks(), 'public, max-age=300');
    }
    const repeated = repeatedSingletonHeader(event);
    if (repeated)
      throw new OAuthError(400, 'invalid_request', `The ${repeated} header may be sent only once`);
    const form: unknown = event.body;
    if (typeof form !== 'object' || form === null) {
      throw new OAuthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded');
    }
    return json(await grantAccessToken(form as Record<string, unknown>, `${base}/oauth2/token`, base));
  });
