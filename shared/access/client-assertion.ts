import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { OAuthError } from './oauth-error.ts';
import type { SupplierClient } from './supplier-client.ts';
import { supplierClient } from './supplier-registry.ts';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** An assertion may be valid for at most this long, as NHS England's signed-JWT auth requires. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 10;
const ALGORITHMS = ['RS512', 'RS384', 'RS256', 'PS512', 'ES512', 'ES384', 'ES256'];
/**
 * Bounds on what a caller sends, checked before any work: an assertion is a few hundred bytes of claims and a
 * signature (an RS512 one about 1 KB), and a `jti` becomes part of a DynamoDB key (at most 1 KB).
 */
export const MAX_ASSERTION_LENGTH = 8 * 1024;
export const MAX_JTI_LENGTH = 256;

/** A verified client assertion: who it is from, and the one-time id and expiry to guard against replay. */
export interface VerifiedAssertion {
  client: SupplierClient;
  jti: string;
  exp: number;
}

/**
 * Verifies a `private_key_jwt` client assertion (RFC 7523) against the client's registered public keys:
 * signature, `iss` = `sub` = client id, `aud` = the token URL, a `jti`, and an `exp` at most 5 minutes ahead.
 * Throws `OAuthError` saying what is wrong; the caller still has to check `jti` was not used before.
 */
export async function verifyClientAssertion(
  assertion: string,
  tokenUrl: string,
  now = Date.now(),
): Promise<VerifiedAssertion> {
  if (assertion.length > MAX_ASSERTION_LENGTH) {
    throw new OAuthError(
      400,
      'invalid_request',
      `client_assertion is longer than ${MAX_ASSERTION_LENGTH} characters`,
    );
  }
  let iss: unknown;
  try {
    iss = decodeJwt(assertion).iss;
  } catch {
    throw new OAuthError(400, 'invalid_request', 'client_assertion is not a JWT');
  }
  const client = typeof iss === 'string' ? await supplierClient(iss) : undefined;
  if (!client) throw new OAuthError(401, 'invalid_client', 'The assertion is from an unknown client (iss)');

  assertRegisteredKey(assertion, client);
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(assertion, keysOf(client), {
      issuer: client.clientId,
      subject: client.clientId,
      audience: tokenUrl,
      algorithms: ALGORITHMS,
      requiredClaims: ['exp', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(now),
    }));
  } catch (e) {
    throw assertionFailure(e, tokenUrl, client, assertion);
  }
  const nowSeconds = Math.floor(now / 1000);
  const exp = payload.exp as number;
  if (exp - nowSeconds > MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
    throw new OAuthError(
      400,
      'invalid_grant',
      `exp is more than ${MAX_ASSERTION_LIFETIME_SECONDS} seconds ahead`,
    );
  }
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > MAX_JTI_LENGTH) {
    throw new OAuthError(400, 'invalid_request', `jti must be a string of 1 to ${MAX_JTI_LENGTH} characters`);
  }
  return { client, jti: payload.jti, exp };
}

const remoteKeySets = new Map<string, JWTVerifyGetKey>();

/** The client's keys: inline, or fetched from its JWKS URL (jose caches them and refetches on an unknown kid). */
function keysOf(client: SupplierClient): JWTVerifyGetKey {
  if (!client.jwksUrl) return createLocalJWKSet({ keys: client.publicKeys });
  let keys = remoteKeySets.get(client.jwksUrl);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(client.jwksUrl));
    remoteKeySets.set(client.jwksUrl, keys);
  }
  return keys;
}

/**
 * Names the key problem before verifying, for a client whose keys are registered inline: an unknown `kid`, or
 * an `alg` other than the one its key is registered for (jose reports both as "no matching key").
 */
function assertRegisteredKey(assertion: string, client: SupplierClient): void {
  if (client.jwksUrl) return;
  const { kid, alg } = headerOf(assertion);
  const kids = client.publicKeys.map((k) => k.kid).filter(Boolean);
  const key = client.publicKeys.find((k) => k.kid === kid);
  if (!key) {
    throw new OAuthError(
      401,
      'invalid_client',
      `No key is registered for this client with kid '${kid ?? ''}': put the kid of a registered key in the ` +
        `assertion's header (registered: ${kids.join(', ') || 'none'})`,
    );
  }
  if (key.alg && alg !== key.alg) {
    throw new OAuthError(
      400,
      'invalid_request',
      `The key kid '${kid}' is registered for ${key.alg}, but the assertion's header says alg ${alg ?? '(none)'}: ` +
        `sign with ${key.alg}`,
    );
  }
}

function headerOf(assertion: string): { kid?: string; alg?: string } {
  try {
    return decodeProtectedHeader(assertion);
  } catch {
    return {};
  }
}

function assertionFailure(
  e: unknown,
  tokenUrl: string,
  client: SupplierClient,
  assertion: string,
): OAuthError {
  if (e instanceof errors.JWTExpired)
    return new OAuthError(400, 'invalid_grant', 'The assertion has expired');
  if (e instanceof errors.JWTClaimValidationFailed) {
    const why =
      e.claim === 'aud'
        ? `aud must be the token URL ${tokenUrl}`
        : e.claim === 'sub' || e.claim === 'iss'
          ? `${e.claim}: it must equal iss, the client id '${client.clientId}'`
          : `${e.claim}: ${e.reason}`;
    return new OAuthError(400, 'invalid_request', `Invalid assertion claim ${why}`);
  }
  const { kid } = headerOf(assertion);
  if (e instanceof errors.JWKSNoMatchingKey) {
    return new OAuthError(
      401,
      'invalid_client',
      `No key with kid '${kid ?? ''}' and the assertion's alg is published at the client's JWKS URL`,
    );
  }
  if (e instanceof errors.JWSSignatureVerificationFailed) {
    return new OAuthError(
      401,
      'invalid_client',
      `The assertion signature does not verify with the public key registered as kid '${kid ?? ''}': ` +
        'sign with the private key of that pair',
    );
  }
  if (e instanceof errors.JOSEAlgNotAllowed) {
    return new OAuthError(
      400,
      'invalid_request',
      `The assertion alg must be one of ${ALGORITHMS.join(', ')}`,
    );
  }
  return new OAuthError(400, 'invalid_request', 'The client assertion is malformed');
}
