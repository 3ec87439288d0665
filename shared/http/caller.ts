import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Caller } from '../access/access-token.ts';
import { roleRefusal } from '../access/analyst-access.ts';
import type { OrganisationRole, SupplierClient } from '../access/supplier-client.ts';
import { BadRequestError, ForbiddenError, UnauthorizedError } from '../fhir/operation-outcome.ts';
import { routeFor } from '../service/routes.ts';

/** The header a supplier system names the organisation it acts for with (CONTRACT §2). */
export const END_USER_ORGANISATION_HEADER = 'NHSD-End-User-Organisation-ODS';

/**
 * The caller the token authorizer verified, acting for the organisation the request names. API Gateway only
 * lets an authorizer pass strings, so lists travel space-separated.
 *
 * API Gateway reuses an authorizer's Allow for the same token for its cache TTL, whatever the token's `exp`:
 * the authorizer passes `exp` on and it is checked here, on every request, so no token outlives its expiry.
 */
export function callerOf(event: APIGatewayProxyEvent): Caller {
  const ctx = event.requestContext.authorizer;
  if (!ctx?.clientId || !ctx.organisations || !ctx.exp) throw new UnauthorizedError();
  if (Number(ctx.exp) * 1000 <= Date.now()) throw new UnauthorizedError('The access token has expired');
  const organisations = String(ctx.organisations).split(' ').filter(Boolean);
  const role = String(ctx.role) as OrganisationRole;
  const route = routeFor(event.httpMethod, event.resource);
  const refusal = route && roleRefusal(role, route.function);
  if (refusal) throw new ForbiddenError(refusal);
  return {
    clientId: String(ctx.clientId),
    odsCode: actingOrganisation(event, organisations),
    role,
    scopes: String(ctx.scopes ?? '')
      .split(' ')
      .filter(Boolean),
  };
}

/**
 * The organisation a request acts for: the one `NHSD-End-User-Organisation-ODS` names, which must be one of the
 * client's; a client with a single organisation may leave the header out.
 */
function actingOrganisation(event: APIGatewayProxyEvent, organisations: string[]): string {
  const named = headerValue(event, END_USER_ORGANISATION_HEADER)?.trim();
  if (!named) {
    if (organisations.length === 1) return organisations[0] as string;
    throw new BadRequestError(
      `This client acts for several organisations: name one in ${END_USER_ORGANISATION_HEADER}`,
      'required',
    );
  }
  if (!organisations.includes(named)) {
    throw new ForbiddenError(
      `This client may not act for the organisation ${END_USER_ORGANISATION_HEADER} names`,
    );
  }
  return named;
}

function headerValue(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  }
  return undefined;
}

/** Authorizer context for a verified token of a registered client (what `callerOf` reads). */
export function authorizerContext(
  client: Pick<SupplierClient, 'clientId' | 'role' | 'scopes' | 'organisations'>,
  exp: number,
): Record<string, string> {
  return {
    clientId: client.clientId,
    organisations: client.organisations.join(' '),
    role: client.role,
    scopes: client.scopes.join(' '),
    exp: String(exp),
  };
}
