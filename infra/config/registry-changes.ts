import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, importSPKI, type JWK } from 'jose';
import { icbs } from './icbs.ts';
import type { IcbRegistry, SupplierClientConfig } from './types.ts';
import { validateIcbConfig } from './validate.ts';

type SupplierInput = IcbRegistry['supplierClients'][number];
type OrganisationInput = IcbRegistry['organisations'][number];

/** `infra/config/<icb>.registry.json`, or the same name under `dir`. */
export const registryPath = (icb: string, dir = 'infra/config') => join(dir, `${icb}.registry.json`);

/** Reads an ICB's registry file. */
export function readRegistry(icb: string, dir?: string): IcbRegistry {
  return JSON.parse(readFileSync(registryPath(icb, dir), 'utf8')) as IcbRegistry;
}

/**
 * Writes an ICB's registry file after checking the whole ICB config with it, so `npm run icb` never leaves a
 * file `cdk synth` would refuse (the error names the field, as synth's does).
 */
export function writeRegistry(icb: string, registry: IcbRegistry, dir?: string): void {
  const config = icbs[icb];
  if (!config) throw new Error(`Unknown ICB "${icb}": known ICBs are ${Object.keys(icbs).join(', ')}`);
  validateIcbConfig({ ...config, ...registry });
  writeFileSync(registryPath(icb, dir), `${JSON.stringify(registry, null, 2)}\n`);
}

/** A supplier's PEM public key (SPKI) as the JWK the registry holds, with its `kid`, `alg` and `use`. */
export async function jwkFromPem(pem: string, alg: string, kid: string): Promise<JWK> {
  if (/PRIVATE KEY/.test(pem)) {
    throw new Error(
      'This is a private key: ask the supplier for its public key, and treat this one as leaked',
    );
  }
  const key = await importSPKI(pem, alg, { extractable: true });
  return { ...(await exportJWK(key)), kid, alg, use: 'sig' };
}

/** Adds an organisation; with `supplier`, that supplier system may act for it too. */
export function addOrganisation(
  registry: IcbRegistry,
  organisation: OrganisationInput,
  supplier?: string,
): IcbRegistry {
  if (registry.organisations.some((o) => o.odsCode === organisation.odsCode)) {
    throw new Error(`${organisation.odsCode} is already an organisation of this ICB`);
  }
  const next = { ...registry, organisations: [...registry.organisations, organisation] };
  return supplier === undefined
    ? next
    : changeSupplier(next, supplier, (s) => ({
        ...s,
        organisations: [...s.organisations, organisation.odsCode],
      }));
}

/** Adds a supplier system (its client id must be new). */
export function addSupplier(registry: IcbRegistry, supplier: SupplierInput): IcbRegistry {
  if (registry.supplierClients.some((s) => s.clientId === supplier.clientId)) {
    throw new Error(`${supplier.clientId} is already registered: use rotate-key to change its key`);
  }
  return { ...registry, supplierClients: [...registry.supplierClients, supplier] };
}

/** Removes a supplier system: once deployed, its live tokens are refused within 60 s. */
export function removeSupplier(registry: IcbRegistry, clientId: string): IcbRegistry {
  changeSupplier(registry, clientId, (s) => s);
  return { ...registry, supplierClients: registry.supplierClients.filter((s) => s.clientId !== clientId) };
}

/**
 * Gives a supplier system a new public key. Kept beside the old ones (`keepOld`), both verify while the supplier
 * switches; otherwise the new key replaces them. A supplier publishing a JWKS URL rotates there itself.
 */
export function rotateKey(registry: IcbRegistry, clientId: string, key: JWK, keepOld: boolean): IcbRegistry {
  return changeSupplier(registry, clientId, (s) => {
    if (s.jwksUrl) throw new Error(`${clientId} publishes its keys at ${s.jwksUrl}: it rotates them there`);
    const kept = keepOld ? (s.publicKeys ?? []) : [];
    return { ...s, publicKeys: [...kept, key as NonNullable<SupplierClientConfig['publicKeys']>[number]] };
  });
}

function changeSupplier(
  registry: IcbRegistry,
  clientId: string,
  change: (supplier: SupplierInput) => SupplierInput,
): IcbRegistry {
  if (!registry.supplierClients.some((s) => s.clientId === clientId)) {
    throw new Error(`No supplier system ${clientId} in this ICB`);
  }
  return {
    ...registry,
    supplierClients: registry.supplierClients.map((s) => (s.clientId === clientId ? change(s) : s)),
  };
}
