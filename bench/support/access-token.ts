import { importJWK, SignJWT } from 'jose';
import type { SandboxClient, SandboxClientsFile } from '#local/sandbox-clients';

/** The sandbox client acting for `role`, from `clients.json`. */
export function clientFor(file: SandboxClientsFile, role: SandboxClient['role']): SandboxClient {
  const client = file.clients.find((c) => c.role === role);
  if (!client) throw new Error(`No sandbox client for role ${role}`);
  return client;
}

/** A client assertion signed as NHS application-restricted auth asks (private_key_jwt). */
export async function clientAssertion(client: SandboxClient, tokenUrl: string): Promise<string> {
  const key = await importJWK(client.privateJwk, client.alg);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: client.clientId,
    sub: client.clientId,
    aud: tokenUrl,
    jti: crypto.randomUUID(),
    exp: now + 300,
  })
    .setProtectedHeader({ alg: client.alg, kid: client.kid, typ: 'JWT' })
    .sign(key);
}

/** The form a token request posts. */
export function tokenRequestForm(assertion: string): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  });
}

/** An access token for the client of `role`, from the sandbox's token endpoint over HTTP. */
export async function accessToken(file: SandboxClientsFile, role: SandboxClient['role']): Promise<string> {
  const assertion = await clientAssertion(clientFor(file, role), file.tokenUrl);
  const response = await fetch(file.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: tokenRequestForm(assertion),
  });
  if (response.status !== 200) throw new Error(`Token request failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
