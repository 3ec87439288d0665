import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SupplierClient } from '#shared/access/supplier-client';
import { demoOrganisations, demoSupplierSystems } from './demo-organisations.ts';

/**
 * A client as `.sandbox/clients.json` lists it (CONTRACT §1): with its private key, for the developer to use,
 * and `odsCode`, the first of its `organisations`.
 */
export interface SandboxClient extends Omit<SupplierClient, 'publicKeys'> {
  odsCode: string;
  kid: string;
  alg: 'RS512';
  privateJwk: JWK;
}

export interface SandboxClientsFile {
  fhirBase: string;
  tokenUrl: string;
  clients: SandboxClient[];
}

/** Every sandbox client: one per demo organisation, then the systems serving several. */
const wantedClients = [
  ...demoOrganisations.map((org) => ({
    role: org.role,
    name: `${org.name} (sandbox supplier system)`,
    organisations: [org.odsCode],
    scopes: org.scopes,
  })),
  ...demoSupplierSystems,
];

/**
 * The sandbox's clients, the service's own token-signing key and the key that signs paging cursors: made once
 * and kept under `.sandbox/`, so tokens, client keys and cursors survive a restart; made anew with `--fresh`.
 * A client the kept file lacks (one added to the sandbox since) is made and added.
 */
export async function sandboxKeys(dir: string, baseUrl: string, fresh: boolean) {
  const clientsPath = join(dir, 'clients.json');
  const servicePath = join(dir, 'service-signing-key.json');
  const cursorSecretPath = join(dir, 'cursor-secret');
  if (fresh || !existsSync(cursorSecretPath)) {
    writeFileSync(cursorSecretPath, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  const cursorSecret = readFileSync(cursorSecretPath, 'utf8');
  // The export pseudonyms' HMAC key: a file beside the cursor secret, read by tests to work out pseudonyms.
  const pseudonymKeyPath = join(dir, 'pseudonym-key');
  if (fresh || !existsSync(pseudonymKeyPath)) {
    writeFileSync(pseudonymKeyPath, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  const pseudonymKey = readFileSync(pseudonymKeyPath, 'utf8');
  let kept: SandboxClient[] = [];
  let serviceKey: JWK;
  if (!fresh && existsSync(clientsPath) && existsSync(servicePath)) {
    kept = (JSON.parse(readFileSync(clientsPath, 'utf8')) as SandboxClientsFile).clients;
    serviceKey = JSON.parse(readFileSync(servicePath, 'utf8')) as JWK;
  } else {
    serviceKey = { ...(await privateJwk('RS256')), kid: 'sandbox-service-1', alg: 'RS256' };
    writeFileSync(servicePath, JSON.stringify(serviceKey), { mode: 0o600 });
  }
  const clients = await Promise.all(
    wantedClients.map(async (wanted) => {
      const clientId = `sandbox-${wanted.role}`;
      const existing = kept.find((c) => c.clientId === clientId);
      if (existing) return { ...existing, organisations: existing.organisations ?? [existing.odsCode] };
      const kid = `${clientId}-1`;
      return {
        clientId,
        name: wanted.name,
        role: wanted.role,
        odsCode: wanted.organisations[0] as string,
        organisations: wanted.organisations,
        scopes: wanted.scopes,
        kid,
        alg: 'RS512' as const,
        privateJwk: { ...(await privateJwk('RS512')), kid, alg: 'RS512' },
      };
    }),
  );
  const file: SandboxClientsFile = {
    fhirBase: `${baseUrl}/FHIR/R4`,
    tokenUrl: `${baseUrl}/oauth2/token`,
    clients,
  };
  writeFileSync(clientsPath, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  const registry: SupplierClient[] = clients.map(
    ({ kid, alg, privateJwk: jwk, odsCode: _first, ...client }) => ({
      ...client,
      publicKeys: [{ kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg, use: 'sig' }],
    }),
  );
  return { file, registry, serviceKey, cursorSecret, pseudonymKey };
}

async function privateJwk(alg: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
  return exportJWK(privateKey);
}
