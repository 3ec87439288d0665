import type { SupplierClient } from '#shared/access/supplier-client';
import type { IcbConfig } from './types.ts';

/**
 * The token function's client registry from an ICB's supplier clients: public keys or a JWKS URL each, and no
 * deployment settings (throttling belongs to API Gateway's usage plans).
 *
 * @example clientRegistry(icbConfig('example-icb')).map((c) => c.clientId)
 */
export function clientRegistry(config: Pick<IcbConfig, 'supplierClients'>): SupplierClient[] {
  return config.supplierClients.map(({ clientId, name, role, odsCode, scopes, publicKeys, jwksUrl }) => ({
    clientId,
    name,
    role,
    odsCode,
    scopes,
    publicKeys: publicKeys ?? [],
    ...(jwksUrl ? { jwksUrl } : {}),
  }));
}
