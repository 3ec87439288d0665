import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SupplierClient } from '#shared/access/supplier-client';
import { demoOrganisations } from './demo-organisations.ts';

/** A client as `.sandbox/clients.json` lists it (CONTRACT §1): with its private key, for the developer to use. */
export interface SandboxClient extends Omit<SupplierClient, 'publicKeys'> {
  kid: string;
  alg: 'RS512';
  privateJwk: JWK;
}

export interface SandboxClientsFile {
  fhirBase: string;
  tokenUrl: string;
  clients: SandboxClient[];
}

/**
 * The sandbox's clients, the service's own token-signing key and the key that signs paging cursors: made once
 * and kept under `.sandbox/`, so tokens, client keys and cursors survive a restart; made anew with `--fresh`.
 */
export async function sandboxKeys(dir: string, baseUrl: string, fresh: boolean) {
  const clientsPath = join(dir, 'clients.json');
  const servicePath = join(dir, 'service-signing-key.json');
  const cursorSecretPath = join(dir, 'cursor-secret');
  if (fresh || !existsSync(cursorSecretPath)) {
    writeFileSync(cursorSecretPath, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  const cursorSecret = readFileSync(cursorSecretPath, 'utf8');
  let clients: SandboxClient[];
  let serviceKey: JWK;
  if (!fresh && existsSync(clientsPath) && existsSync(servicePath)) {
    clients = (JSON.parse(readFileSync(clientsPath, 'utf8')) as SandboxClientsFile).clients;
    serviceKey = JSON.parse(readFileSync(servicePath, 'utf8')) as JWK;
  } else {
    clients = await Promise.all(
      demoOrganisations.map(async (org) => {
        const clientId = `sandbox-${org.role}`;
        const kid = `${clientId}-1`;
        return {
          clientId,
          name: `${org.name} (sandbox supplier system)`,
          role: org.role,
          odsCode: org.odsCode,
          scopes: org.scopes,
          kid,
          alg: 'RS512' as const,
          privateJwk: { ...(await privateJwk('RS512')), kid, alg: 'RS512' },
        };
      }),
    );
    serviceKey = { ...(await privateJwk('RS256')), kid: 'sandbox-service-1', alg: 'RS256' };
    writeFileSync(servicePath, JSON.stringify(serviceKey), { mode: 0o600 });
  }
  const file: SandboxClientsFile = {
    fhirBase: `${baseUrl}/FHIR/R4`,
    tokenUrl: `${baseUrl}/oauth2/token`,
    clients,
  };
  writeFileSync(clientsPath, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  const registry: SupplierClient[] = clients.map(({ kid, alg, privateJwk: jwk, ...client }) => ({
    ...client,
    publicKeys: [{ kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg, use: 'sig' }],
  }));
  return { file, registry, serviceKey, cursorSecret };
}

async function privateJwk(alg: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
  return exportJWK(privateKey);
}
