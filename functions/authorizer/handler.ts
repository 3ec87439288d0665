import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { verifyAccessToken } from '#shared/access/access-token';
import { supplierClient } from '#shared/access/supplier-registry';
import { authorizerContext } from '#shared/http/caller';
import { usagePlanKey } from '#shared/http/usage-plan-key';
import { logger } from '#shared/observability/powertools';

/**
 * API Gateway token authorizer: verifies the service's own access token, checks its client is still registered
 * (the registry is cached at most `REGISTRY_CACHE_SECONDS`), and passes the client and the token's `exp` on.
 * The policy allows the whole API, because API Gateway caches the decision per token across every route;
 * what a caller may do is decided per request by the functions. No bearer token is `Unauthorized` (API Gateway's
 * UNAUTHORIZED: 401 `WWW-Authenticate: Bearer`); a token sent but refused is a Deny (ACCESS_DENIED, declared as
 * 401 with `error="invalid_token"`, as RFC 6750 §3.1 and CONTRACT §2 say).
 * The usage identifier key puts the caller's requests on its own usage plan (per-supplier throttling).
 */
export const handler = middy<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const token = /^Bearer (.+)$/i.exec(event.authorizationToken ?? '')?.[1];
    if (!token) throw new Error('Unauthorized');
    const [arn, stage] = event.methodArn.split('/');
    const api = `${arn}/${stage}/*`;
    let verified: Awaited<ReturnType<typeof verifyAccessToken>>;
    try {
      verified = await verifyAccessToken(token);
    } catch (e) {
      logger.info('Access token refused', { reason: (e as Error).name });
      return deny(api);
    }
    const client = await supplierClient(verified.clientId);
    if (!client) {
      logger.info('Access token refused', { reason: 'ClientNotRegistered' });
      return deny(api);
    }
    return {
      principalId: client.clientId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: api }],
      },
      context: authorizerContext(client, verified.exp),
      usageIdentifierKey: usagePlanKey(client.clientId),
    };
  });

/** A refusal of a token that was sent: API Gateway answers it with the ACCESS_DENIED gateway response. */
function deny(resource: string): APIGatewayAuthorizerResult {
  return {
    principalId: 'refused',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: resource }],
    },
  };
}
