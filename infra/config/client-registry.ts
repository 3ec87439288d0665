import type { JWK } from 'jose';
import type { SupplierClient } from '#shared/access/supplier-client';
import type { IcbConfig } from './types.ts';

/**
 * The supplier registry from an ICB's supplier clients: organisations, scopes, public keys or a JWKS URL each,
 * and no deployment settings (throttling belongs to API Gateway's usage plans). The deployment writes it to the
 * record table, where the token endpoint and the authorizer read it.
 *
 * @example clientRegistry(icbConfig('example-icb')).map((c) => c.clientId)
 */
export function clientRegistry(config: Pick<IcbConfig, 'supplierClients'>): SupplierClient[] {
  return config.supplierClients.map(
    ({ clientId, name, role, organisations, scopes, publicKeys, jwksUrl }) => ({
      clientId,
      name,
      role,
      organisations,
      scopes,
      publicKeys: (publicKeys ?? []) as JWK[],
      ...(jwksUrl ? { jwksUrl } : {}),
    }),
  );
}
