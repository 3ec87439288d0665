import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyClientAssertion } from '#shared/access/client-assertion';
import { OAuthError } from '#shared/access/oauth-error';
import type { SupplierClient } from '#shared/access/supplier-client';
import { resetSupplierClients } from '#shared/access/supplier-registry';
import { refusal } from '../support/refusal.ts';

const TOKEN_URL = 'https://scr.example/oauth2/token';
const rsa = await generateKeyPair('RS512', { extractable: true });
const otherRsa = await generateKeyPair('RS512', { extractable: true });
const rs256 = await generateKeyPair('RS256', { extractable: true });

const sign = (
  options: { kid?: string; alg?: string; sub?: string; key?: Parameters<SignJWT['sign']>[0] } = {},
) =>
  new SignJWT({
    iss: 'pem-supplier',
    sub: options.sub ?? 'pem-supplier',
    aud: TOKEN_URL,
    jti: crypto.randomUUID(),
  })
    .setProtectedHeader({ alg: options.alg ?? 'RS512', kid: options.kid ?? 'key-1' })
    .setExpirationTime('5m')
    .sign(options.key ?? rsa.privateKey);

/** How the token endpoint refuses the assertion `signed` gives. */
async function refused(signed: Promise<string>): Promise<OAuthError> {
  return refusal(OAuthError, verifyClientAssertion(await signed, TOKEN_URL));
}

beforeAll(async () => {
  const client: SupplierClient = {
    clientId: 'pem-supplier',
    name: 'A supplier with one RS512 key',
    role: 'acute',
    organisations: ['RX1'],
    scopes: ['system/*.cruds'],
    publicKeys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'key-1', alg: 'RS512', use: 'sig' }],
  };
  process.env.CLIENT_REGISTRY = JSON.stringify([client]);
  resetSupplierClients();
});
afterAll(() => {
  delete process.env.CLIENT_REGISTRY;
  resetSupplierClients();
});

describe('client assertion refusals say what to do', () => {
  it('names an unknown kid and the kids that are registered', async () => {
    const e = await refused(sign({ kid: 'key-2' }));
    expect(e.description).toContain("kid 'key-2'");
    expect(e.description).toContain('key-1');
  });

  it('names the alg the key is registered for when another is used', async () => {
    const e = await refused(sign({ alg: 'RS256', key: rs256.privateKey }));
    expect(e.description).toContain('RS256');
    expect(e.description).toContain('RS512');
    expect(e.description).not.toContain('does not verify');
  });

  it('says the signature does not verify with the named key, for a key that is not the registered one', async () => {
    const e = await refused(sign({ key: otherRsa.privateKey }));
    expect(e.description).toContain("kid 'key-1'");
    expect(e.description).toMatch(/signature/i);
  });

  it('names sub and what it must equal', async () => {
    const e = await refused(sign({ sub: 'someone-else' }));
    expect(e.description).toContain('sub');
    expect(e.description).toContain("must equal iss, the client id 'pem-supplier'");
  });
});
