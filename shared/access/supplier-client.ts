import type { JWK } from 'jose';

/** The kinds of organisation a supplier system acts for (`gp-system`: one system serving several practices). */
export type OrganisationRole =
  | 'gp'
  | 'gp-other'
  | 'gp-system'
  | 'acute'
  | 'community'
  | 'social-care'
  | 'auditor'
  | 'analyst';

/**
 * A registered supplier system: it authenticates with its private key and acts for one or more organisations.
 * The registry holds public keys only.
 */
export interface SupplierClient {
  clientId: string;
  name: string;
  role: OrganisationRole;
  /** ODS codes of the organisations it may act for; a call names one when there are several (CONTRACT §2). */
  organisations: string[];
  /** SMART v2 system scopes, e.g. `system/*.cruds`. */
  scopes: string[];
  /** Public keys the client signs its assertions with (each with `kid` and `alg`). */
  publicKeys: JWK[];
  /** Where the client publishes its public keys instead (an `https` JWKS URL), so it rotates them itself. */
  jwksUrl?: string;
}
