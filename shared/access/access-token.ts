import { createLocalJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { OrganisationRole, SupplierClient } from './supplier-client.ts';
import { tokenSigner } from './token-signer.ts';

/** Audience of the service's access tokens. */
export const ACCESS_TOKEN_AUDIENCE = 'shared-care-record';
/** Lifetime of an access token, in seconds: short, as NHS application-restricted APIs issue. */
export const ACCESS_TOKEN_LIFETIME = 600;

/** Who is calling: the verified client, and the organisation this request acts for. */
export interface Caller {
  clientId: string;
  /** The organisation the request acts for: the client's only one, or the one `NHSD-End-User-Organisation-ODS` names. */
  odsCode: string;
  role: OrganisationRole;
  scopes: string[];
}

/** A verified access token: the client it was issued to, and when it ends (seconds since the epoch). */
export interface VerifiedAccessToken {
  clientId: string;
  exp: number;
}

/**
 * Issues an access token for a client whose assertion has been verified. The token names the client only: the
 * organisations it acts for, its role and scopes are read from the registry on each use, so a change there
 * (or a removal) reaches live tokens too.
 */
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
    scope: client.scopes.join(' '),
  });
  return { access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME };
}

let verificationKeys: JWTVerifyGetKey | undefined;

/** Verifies an access token's signature, audience and expiry, and returns the client it names. */
export async function verifyAccessToken(token: string): Promise<VerifiedAccessToken> {
  verificationKeys ??= createLocalJWKSet(await tokenSigner().publicJwks());
  const { payload } = await jwtVerify(token, verificationKeys, {
    audience: ACCESS_TOKEN_AUDIENCE,
    algorithms: ['RS256'],
    requiredClaims: ['exp', 'sub'],
  });
  return { clientId: String(payload.sub), exp: payload.exp as number };
}
