import { createSecretKey } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyClientAssertion } from '#shared/access/client-assertion';
import { OAuthError } from '#shared/access/oauth-error';
import type { SupplierClient } from '#shared/access/supplier-client';
import { resetSupplierClients } from '#shared/access/supplier-registry';
import { grantAccessToken } from '#shared/access/token-request';
import { refusal } from '../support/refusal.ts';

// CONTRACT §2 is the oracle: the form fields, the assertion's claims, and the OAuth2 error each failure gives.
const TOKEN_URL = 'https://scr.example/oauth2/token';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const NOW = Date.parse('2026-11-20T09:00:00Z');
const nowSeconds = NOW / 1000;
const clientKeys = await generateKeyPair('RS512', { extractable: true });
const strangerKeys = await generateKeyPair('RS512');

beforeAll(async () => {
  const client: SupplierClient = {
    clientId: 'acute-supplier',
    name: 'A hospital trust system',
    role: 'acute',
    organisations: ['RX2'],
    scopes: ['system/*.cruds'],
    publicKeys: [{ ...(await exportJWK(clientKeys.publicKey)), kid: 'acute-1', alg: 'RS512', use: 'sig' }],
  };
  process.env.CLIENT_REGISTRY = JSON.stringify([client]);
  resetSupplierClients();
});
afterAll(() => {
  delete process.env.CLIENT_REGISTRY;
  resetSupplierClients();
});

const claims = (overrides: JWTPayload = {}): JWTPayload => ({
  iss: 'acute-supplier',
  sub: 'acute-supplier',
  aud: TOKEN_URL,
  jti: crypto.randomUUID(),
  exp: nowSeconds + 300,
  ...overrides,
});

const assertion = (
  payload: JWTPayload = claims(),
  key: Parameters<SignJWT['sign']>[0] = clientKeys.privateKey,
  alg = 'RS512',
) => new SignJWT(payload).setProtectedHeader({ alg, kid: 'acute-1', typ: 'JWT' }).sign(key);

/** The status and OAuth2 `error` a rejected assertion gives. */

/** The OAuth2 answer a refusal gives: its status and `error` code (CONTRACT §2). */
async function refused(act: Promise<unknown>): Promise<{ status: number; error: string }> {
  const { status, error } = await refusal(OAuthError, act);
  return { status, error };
}

const verify = (token: string) => verifyClientAssertion(token, TOKEN_URL, NOW);

describe('client assertions (CONTRACT §2)', () => {
  it('accepts a correct one, naming the client, its jti and exp', async () => {
    const payload = claims({ jti: 'assertion-1' });
    const verified = await verify(await assertion(payload));
    expect(verified.client.clientId).toBe('acute-supplier');
    expect(verified.jti).toBe('assertion-1');
    expect(verified.exp).toBe(nowSeconds + 300);
  });

  it('refuses an unknown client: 401 invalid_client', async () => {
    const token = await assertion(claims({ iss: 'nobody', sub: 'nobody' }));
    expect(await refused(verify(token))).toEqual({ status: 401, error: 'invalid_client' });
  });

  it('refuses a wrong signature (another key): 401 invalid_client', async () => {
    const token = await assertion(claims(), strangerKeys.privateKey);
    expect(await refused(verify(token))).toEqual({ status: 401, error: 'invalid_client' });
  });

  it('refuses a wrong aud: a 400 error from the contract list', async () => {
    const token = await assertion(claims({ aud: 'https://elsewhere.example/token' }));
    const { status, error } = await refused(verify(token));
    expect(status).toBe(400);
    expect(['invalid_request', 'invalid_grant']).toContain(error);
  });

  it('refuses an expired assertion: 400 invalid_grant', async () => {
    const token = await assertion(claims({ exp: nowSeconds - 60 }));
    expect(await refused(verify(token))).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('refuses an exp more than 5 minutes ahead: 400 invalid_grant', async () => {
    const token = await assertion(claims({ exp: nowSeconds + 600 }));
    expect(await refused(verify(token))).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it.each(['jti', 'exp'])('refuses an assertion without %s: 400 invalid_request', async (claim) => {
    const { [claim]: _left, ...rest } = claims();
    expect(await refused(verify(await assertion(rest)))).toEqual({
      status: 400,
      error: 'invalid_request',
    });
  });

  it('refuses a sub that is not the client id: 400 invalid_request', async () => {
    const token = await assertion(claims({ sub: 'someone-else' }));
    expect(await refused(verify(token))).toEqual({ status: 400, error: 'invalid_request' });
  });

  it('refuses an HS256 assertion keyed with the public key (algorithm confusion)', async () => {
    const secret = createSecretKey(Buffer.from(JSON.stringify(await exportJWK(clientKeys.publicKey))));
    const { status, error } = await refused(verify(await assertion(claims(), secret, 'HS256')));
    expect([400, 401]).toContain(status);
    expect(['invalid_request', 'invalid_client']).toContain(error);
  });

  it('refuses an unsigned assertion (alg none)', async () => {
    const { status } = await refused(verify(new UnsecuredJWT(claims()).encode()));
    expect([400, 401]).toContain(status);
  });

  it('refuses something that is not a JWT: 400 invalid_request', async () => {
    expect(await refused(verify('not-a-jwt'))).toEqual({ status: 400, error: 'invalid_request' });
  });
});

describe('the token request form (CONTRACT §2)', () => {
  const form = async (overrides: Record<string, unknown> = {}) => ({
    grant_type: 'client_credentials',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await assertion(),
    ...overrides,
  });
  const grant = async (overrides: Record<string, unknown>) =>
    refused(grantAccessToken(await form(overrides), TOKEN_URL, 'https://scr.example'));

  it.each(['grant_type', 'client_assertion_type', 'client_assertion'])(
    'refuses a request without %s: 400 invalid_request',
    async (field) => {
      expect(await grant({ [field]: undefined })).toEqual({ status: 400, error: 'invalid_request' });
      expect(await grant({ [field]: '' })).toEqual({ status: 400, error: 'invalid_request' });
    },
  );

  it('refuses a grant other than client_credentials: 400 unsupported_grant_type (RFC 6749 §5.2)', async () => {
    expect(await grant({ grant_type: 'authorization_code' })).toEqual({
      status: 400,
      error: 'unsupported_grant_type',
    });
  });

  it('refuses another client assertion type: 400 invalid_request', async () => {
    expect(
      await grant({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }),
    ).toEqual({
      status: 400,
      error: 'invalid_request',
    });
  });

  it('refuses a form value that is not a string (a repeated field): 400 invalid_request', async () => {
    expect(await grant({ grant_type: ['client_credentials', 'client_credentials'] })).toEqual({
      status: 400,
      error: 'invalid_request',
    });
  });
});
