import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyClientAssertion } from '#shared/access/client-assertion';
import { OAuthError } from '#shared/access/oauth-error';
import type { SupplierClient } from '#shared/access/supplier-client';
import { resetSupplierClients } from '#shared/access/supplier-registry';

const TOKEN_URL = 'https://scr.example/oauth2/token';
const supplierKeys = await generateKeyPair('ES384', { extractable: true });
const strangerKeys = await generateKeyPair('ES384', { extractable: true });
let fetches = 0;
const jwksServer = createServer(async (_req, res) => {
  fetches++;
  const jwk = {
    ...(await exportJWK(supplierKeys.publicKey)),
    kid: 'supplier-2026',
    alg: 'ES384',
    use: 'sig',
  };
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
});

const assertion = (key: Parameters<SignJWT['sign']>[0], kid = 'supplier-2026') =>
  new SignJWT({ iss: 'jwks-supplier', sub: 'jwks-supplier', aud: TOKEN_URL, jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'ES384', kid })
    .setExpirationTime('5m')
    .sign(key);

beforeAll(async () => {
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const client: SupplierClient = {
    clientId: 'jwks-supplier',
    name: 'A supplier that publishes its keys',
    role: 'community',
    organisations: ['RY9'],
    scopes: ['system/*.cruds'],
    publicKeys: [],
    jwksUrl: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`,
  };
  process.env.CLIENT_REGISTRY = JSON.stringify([client]);
  resetSupplierClients();
});
afterAll(() => {
  delete process.env.CLIENT_REGISTRY;
  resetSupplierClients();
  jwksServer.close();
});

describe('client assertions of a client with a JWKS URL', () => {
  it('verifies an assertion against the keys the client publishes, fetching them once', async () => {
    const first = await verifyClientAssertion(await assertion(supplierKeys.privateKey), TOKEN_URL);
    await verifyClientAssertion(await assertion(supplierKeys.privateKey), TOKEN_URL);

    expect(first.client.clientId).toBe('jwks-supplier');
    expect(fetches).toBe(1);
  });

  it('refuses an assertion signed with a key the client does not publish', async () => {
    const act = verifyClientAssertion(await assertion(strangerKeys.privateKey), TOKEN_URL);

    await expect(act).rejects.toBeInstanceOf(OAuthError);
    await expect(act).rejects.toMatchObject({ error: 'invalid_client' });
  });
});
