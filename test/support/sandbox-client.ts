import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, SignJWT } from 'jose';
import { inject } from 'vitest';
import type { SandboxClient, SandboxClientsFile } from '#local/sandbox-clients';

/** The running test sandbox and its clients.json, as a supplier developer would read it. */
export function sandbox() {
  const info = inject('sandbox');
  const clients = JSON.parse(readFileSync(join(info.dir, 'clients.json'), 'utf8')) as SandboxClientsFile;
  return { ...info, clients };
}

/** The sandbox client that acts for `role`. */
export function clientFor(role: SandboxClient['role']): SandboxClient {
  const client = sandbox().clients.clients.find((c) => c.role === role);
  if (!client) throw new Error(`No sandbox client for role ${role}`);
  return client;
}

/** Signs a client assertion as NHS application-restricted auth asks; `claims` overrides for negative tests. */
export async function clientAssertion(
  client: SandboxClient,
  claims: Record<string, unknown> = {},
  options: { expiresInSeconds?: number; jti?: string } = {},
): Promise<string> {
  const { tokenUrl } = sandbox().clients;
  const key = await importJWK(client.privateJwk, client.alg);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: client.clientId,
    sub: client.clientId,
    aud: tokenUrl,
    jti: options.jti ?? crypto.randomUUID(),
    exp: now + (options.expiresInSeconds ?? 300),
    ...claims,
  })
    .setProtectedHeader({ alg: client.alg, kid: client.kid, typ: 'JWT' })
    .sign(key);
}

/** Posts an assertion to the token endpoint and returns the raw response. */
export function requestToken(assertion: string): Promise<Response> {
  return fetch(sandbox().clients.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
}

const tokens = new Map<string, string>();

/** An access token for the client of `role`, fetched once per test file. */
export async function accessToken(role: SandboxClient['role']): Promise<string> {
  const cached = tokens.get(role);
  if (cached) return cached;
  const response = await requestToken(await clientAssertion(clientFor(role)));
  if (response.status !== 200)
    throw new Error(`Token request failed: ${response.status} ${await response.text()}`);
  const { access_token } = (await response.json()) as { access_token: string };
  tokens.set(role, access_token);
  return access_token;
}
