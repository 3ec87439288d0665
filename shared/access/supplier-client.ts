import type { JWK } from 'jose';

/** The kinds of organisation a supplier system acts for. */
export type OrganisationRole = 'gp' | 'gp-other' | 'acute' | 'community' | 'social-care' | 'auditor';

/**
 * A registered supplier system: it authenticates with its private key and acts for one organisation.
 * The registry holds public keys only.
 */
export interface SupplierClient {
  clientId: string;
  name: string;
  role: OrganisationRole;
  /** ODS code of the organisation the client acts for. */
  odsCode: string;
  /** SMART v2 system scopes, e.g. `system/*.cruds`. */
  scopes: string[];
  /** Public keys the client signs its assertions with (each with `kid` and `alg`). */
  publicKeys: JWK[];
  /** Where the client publishes its public keys instead (an `https` JWKS URL), so it rotates them itself. */
  jwksUrl?: string;
}

let registry: Map<string, SupplierClient> | undefined;

/**
 * The registered clients. The stack bakes the ICB's registry into the token function at build time (esbuild
 * `define` of `process.env.CLIENT_REGISTRY`), since it outgrows Lambda's 4 KB environment; the sandbox sets it.
 */
export function supplierClient(clientId: string): SupplierClient | undefined {
  if (!registry) {
    const list = JSON.parse(process.env.CLIENT_REGISTRY ?? '[]') as SupplierClient[];
    registry = new Map(list.map((c) => [c.clientId, c]));
  }
  return registry.get(clientId);
}

/** Forgets the loaded registry, so a changed `CLIENT_REGISTRY` is read again (sandbox re-seed, tests). */
export function resetSupplierClients(): void {
  registry = undefined;
}
