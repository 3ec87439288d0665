import { importJWK, SignJWT } from 'jose';
import { expect } from 'vitest';
import type { SandboxClientsFile } from '#local/sandbox-clients';

/**
 * An access token from a sandbox the test started itself (not the project's shared one), read from that
 * sandbox's clients.json, for the `gp` client: signed assertion in, bearer token out (CONTRACT §2).
 */
export async function ownSandboxToken(clients: SandboxClientsFile): Promise<string> {
  const client = clients.clients.find((c) => c.role === 'gp');
  if (!client) throw new Error('no gp client');
  const assertion = await new SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: client.alg, kid: client.kid })
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(clients.tokenUrl)
    .setExpirationTime('4m')
    .sign(await importJWK(client.privateJwk, client.alg));
  const response = await fetch(clients.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}
