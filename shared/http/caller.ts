import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Caller } from '../access/access-token.ts';
import type { OrganisationRole } from '../access/supplier-client.ts';
import { UnauthorizedError } from '../fhir/operation-outcome.ts';

/**
 * The caller the token authorizer verified, from the context it passed on. API Gateway only lets an
 * authorizer pass strings, so scopes travel space-separated.
 */
export function callerOf(event: APIGatewayProxyEvent): Caller {
  const ctx = event.requestContext.authorizer;
  if (!ctx?.clientId || !ctx.odsCode) throw new UnauthorizedError();
  return {
    clientId: String(ctx.clientId),
    odsCode: String(ctx.odsCode),
    role: String(ctx.role) as OrganisationRole,
    scopes: String(ctx.scopes ?? '')
      .split(' ')
      .filter(Boolean),
  };
}

/** Authorizer context for a verified caller (the inverse of `callerOf`). */
export function authorizerContext(caller: Caller): Record<string, string> {
  return {
    clientId: caller.clientId,
    odsCode: caller.odsCode,
    role: caller.role,
    scopes: caller.scopes.join(' '),
  };
}
