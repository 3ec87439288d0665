import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { clientFor, sandbox } from '../support/sandbox-client.ts';

/** A FHIR call with a given bearer token. */
async function call(token: string, path: string) {
  const response = await fetch(`${sandbox().clients.fhirBase}${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/**
 * An access token the sandbox's token endpoint would issue, signed with its own key (kept in the sandbox's
 * folder) but with the lifetime or client a test needs: what a supplier holds when its token nears `exp`, or
 * when its registration goes after the token was issued.
 */
async function serviceToken(claims: { sub: string; expiresInSeconds: number }) {
  const jwk = JSON.parse(readFileSync(join(sandbox().dir, 'service-signing-key.json'), 'utf8')) as JWK;
  const key = await importJWK(jwk, 'RS256');
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + claims.expiresInSeconds;
  const token = await new SignJWT({
    client_id: claims.sub,
    ods: 'A81001',
    role: 'gp',
    scope: 'system/*.cruds',
  })
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid as string, typ: 'JWT' })
    .setIssuer(sandbox().url)
    .setSubject(claims.sub)
    .setAudience('shared-care-record')
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(crypto.randomUUID())
    .sign(key);
  return { token, exp };
}

describe('a token stops working at its exp and when its client goes (CONTRACT §2, issue 12 finding 9)', () => {
  it('refuses a token once its exp has passed, though the gateway allowed it moments before', async () => {
    const { token } = await serviceToken({ sub: clientFor('gp').clientId, expiresInSeconds: 4 });
    expect((await call(token, '/Organization/A81001')).status).toBe(200);
    // The gateway cached the Allow; once the token's own exp passes, the answer must be 401 however fresh the
    // cached decision is. Polled, not slept: the poll gives up before the cache's 25 s TTL would have ended.
    await expect
      .poll(async () => (await call(token, '/Organization/A81001')).status, {
        timeout: 20_000,
        interval: 250,
      })
      .toBe(401);
    const after = await call(token, '/Organization/A81001');
    expect(after.body.resourceType).toBe('OperationOutcome');
  });

  it('refuses a live token whose client is not registered with the deployment', async () => {
    const { token } = await serviceToken({ sub: `removed-${crypto.randomUUID()}`, expiresInSeconds: 300 });
    const answer = await call(token, '/Organization/A81001');
    expect(answer.status).toBe(401);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });
});
