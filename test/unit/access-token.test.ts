import { createSecretKey } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupplierClient } from '#shared/access/supplier-client';

// The service's signing key, as the sandbox gives it (TOKEN_SIGNING_JWK), set before the signer first loads.
const serviceKeys = await generateKeyPair('RS256', { extractable: true });
const servicePrivateJwk: JWK = { ...(await exportJWK(serviceKeys.privateKey)), kid: 'service-key-1' };
process.env.TOKEN_SIGNING_JWK = JSON.stringify(servicePrivateJwk);
delete process.env.TOKEN_SIGNING_KEY_ID;
const { issueAccessToken, verifyAccessToken } = await import('#shared/access/access-token');

const client: SupplierClient = {
  clientId: 'gp-supplier',
  name: 'A GP supplier',
  role: 'gp',
  organisations: ['A81001'],
  scopes: ['system/*.cruds', 'system/AuditEvent.rs'],
  publicKeys: [],
};

/** The claims an access token of this service carries, as CONTRACT §2 and the authorizer need them. */
function claims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://scr.example/oauth2/token',
    sub: 'gp-supplier',
    aud: 'shared-care-record',
    iat: now,
    exp: now + 600,
    ods: 'A81001',
    role: 'gp',
    scope: 'system/*.cruds',
    ...overrides,
  };
}

const signedWith = (
  key: Parameters<SignJWT['sign']>[0],
  payload: JWTPayload,
  alg = 'RS256',
  kid = 'service-key-1',
) => new SignJWT(payload).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(key);

/** The jose error code a rejected verification gives, or 'accepted'. */
async function rejection(token: string): Promise<string> {
  try {
    await verifyAccessToken(token);
    return 'accepted';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe('access tokens the service issues', () => {
  it('verify, and name the client and when they end (its organisations, role and scopes come from the registry on each use)', async () => {
    const issuedAt = Date.parse('2026-12-01T09:00:00Z');
    const { access_token, token_type, expires_in } = await issueAccessToken(
      client,
      'https://scr.example/oauth2/token',
    );

    expect(token_type).toBe('Bearer');
    expect(expires_in).toBe(600);
    const verified = await verifyAccessToken(access_token);
    expect(verified.clientId).toBe('gp-supplier');
    expect(Object.keys(verified).sort()).toEqual(['clientId', 'exp']);
    // exp is 600 s after issue: checked against a token issued at a known time.
    const fixed = await issueAccessToken(client, 'https://scr.example/oauth2/token', issuedAt);
    const [, payload] = fixed.access_token.split('.');
    expect(JSON.parse(Buffer.from(payload as string, 'base64url').toString()).exp).toBe(
      issuedAt / 1000 + 600,
    );
  });

  it('stop working at their exp: one issued 601 seconds ago is refused as expired', async () => {
    const { access_token } = await issueAccessToken(client, 'https://scr.example', Date.now() - 601_000);
    expect(await rejection(access_token)).toBe('ERR_JWT_EXPIRED');
  });
});

describe('access tokens the service did not issue as they stand', () => {
  let strangerKey: Parameters<SignJWT['sign']>[0];
  beforeAll(async () => {
    strangerKey = (await generateKeyPair('RS256')).privateKey;
  });

  it('a token for another audience is refused', async () => {
    const token = await signedWith(serviceKeys.privateKey, claims({ aud: 'another-api' }));
    expect(await rejection(token)).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  it('a token signed with another key under the same kid is refused', async () => {
    const token = await signedWith(strangerKey, claims());
    expect(await rejection(token)).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('a token whose payload was changed after signing is refused', async () => {
    const token = await signedWith(serviceKeys.privateKey, claims());
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify(claims({ ods: 'RX2', role: 'acute' }))).toString('base64url');
    expect(await rejection(`${header}.${forged}.${signature}`)).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('an HS256 token keyed with the public key (algorithm confusion) is refused', async () => {
    const publicJwk = await exportJWK(serviceKeys.publicKey);
    const secret = createSecretKey(Buffer.from(JSON.stringify(publicJwk)));
    const token = await signedWith(secret, claims(), 'HS256');
    expect(await rejection(token)).not.toBe('accepted');
    expect(await rejection(token)).toMatch(/ERR_JOSE_ALG_NOT_ALLOWED|ERR_JWKS_NO_MATCHING_KEY/);
  });

  it('an unsigned token (alg none) is refused', async () => {
    const token = new UnsecuredJWT(claims()).encode();
    expect(await rejection(token)).not.toBe('accepted');
  });

  it.each(['exp', 'sub'])('a token without %s is refused', async (claim) => {
    const { [claim]: _left, ...rest } = claims();
    const token = await signedWith(serviceKeys.privateKey, rest);
    expect(await rejection(token)).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  it('a token that is not a JWT at all is refused', async () => {
    expect(await rejection('not.a.token')).not.toBe('accepted');
  });
});
