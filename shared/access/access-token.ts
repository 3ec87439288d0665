import { createLocalJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { OrganisationRole, SupplierClient } from './supplier-client.ts';
import { tokenSigner } from './token-signer.ts';

/** Audience of the service's access tokens. */
export const ACCESS_TOKEN_AUDIENCE = 'shared-care-record';
/** Lifetime of an access token, in seconds: short, as NHS application-restricted APIs issue. */
export const ACCESS_TOKEN_LIFETIME = 600;

/** Who is calling: what the authorizer hands to every function, from the verified access token. */
export interface Caller {
  clientId: string;
  odsCode: string;
  role: OrganisationRole;
  scopes: string[];
}

/** Issues an access token for a client whose assertion has been verified. */
export async function issueAccessToken(client: SupplierClient, issuer: string, now = Date.now()) {
  const iat = Math.floor(now / 1000);
  const token = await tokenSigner().sign({
    iss: issuer,
    sub: client.clientId,
    aud: ACCESS_TOKEN_AUDIENCE,
    iat,
    exp: iat + ACCESS_TOKEN_LIFETIME,
    jti: crypto.randomUUID(),
    client_id: client.clientId,
    ods: client.odsCode,
    role: client.role,
    scope: client.scopes.join(' '),
  });
  return { access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME };
}

let verificationKeys: JWTVerifyGetKey | undefined;

/** Verifies an access token's signature, audience and expiry, and returns the caller it names. */
export async function verifyAccessToken(token: string): Promise<Caller> {
  verificationKeys ??= createLocalJWKSet(await tokenSigner().publicJwks());
  const { payload } = await jwtVerify(token, verificationKeys, {
    audience: ACCESS_TOKEN_AUDIENCE,
    algorithms: ['RS256'],
    requiredClaims: ['exp', 'sub', 'ods', 'role'],
  });
  return {
    clientId: String(payload.sub),
    odsCode: String(payload.ods),
    role: payload.role as OrganisationRole,
    scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
  };
}
