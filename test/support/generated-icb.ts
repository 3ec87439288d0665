import { exampleIcb } from '#infra/config/example-icb';
import type { IcbConfigInput } from '#infra/config/types';

/**
 * An ICB of a real region's size, made up: 1,000 organisations (practices, trusts, councils, hospices,
 * pharmacies) and 60 supplier systems, among them GP systems acting for up to 250 practices each, some with
 * inline public keys and some publishing a JWKS URL. Deterministic, so its figures can be compared run to run.
 */
export function generatedIcb(organisationCount = 1000, systemCount = 60): IcbConfigInput {
  const organisations = Array.from({ length: organisationCount }, (_, i) => ({
    odsCode: `Y${String(10000 + i)}`,
    name: `Generated Organisation ${i}`,
    ...(i % 50 === 0 ? { type: 'govt' as const } : {}),
  }));
  const key = exampleIcb.supplierClients[0]?.publicKeys?.[0];
  if (!key) throw new Error('example-icb has no inline key to copy');
  const supplierClients = Array.from({ length: systemCount }, (_, i) => {
    // Four GP systems serve 250 practices each; the others act for one to three organisations.
    const serves =
      i < 4
        ? organisations.slice(i * 250, i * 250 + 250)
        : organisations.slice((i * 17) % organisationCount, ((i * 17) % organisationCount) + 1 + (i % 3));
    return {
      clientId: `generated-system-${i}`,
      name: `Generated supplier system ${i}`,
      role: i < 4 ? ('gp-system' as const) : ('acute' as const),
      organisations: serves.map((o) => o.odsCode),
      scopes: ['system/*.cruds'],
      ...(i % 2 === 0
        ? { publicKeys: [{ ...key, kid: `generated-system-${i}-1` }] }
        : { jwksUrl: `https://keys.supplier-${i}.example/.well-known/jwks.json` }),
    };
  });
  return { ...exampleIcb, name: 'generated-icb', stage: 'test', organisations, supplierClients };
}
