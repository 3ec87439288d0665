import type { SupplierClient } from '../access/supplier-client.ts';
import { replaceSupplierRegistry } from '../access/supplier-registry.ts';
import { s3Sdk } from '../aws/s3.ts';
import { type OrganisationEntry, registerOrganisations } from './register-organisations.ts';

/** The registry a deployment uploads (a CDK asset): the ICB's organisations and supplier systems. */
export interface DeploymentRegistry {
  organisations: OrganisationEntry[];
  /** Left out, the supplier registry is left as it is. */
  supplierSystems?: SupplierClient[];
}

/**
 * Applies the registry a deployment uploaded to S3: the organisations become (or stay) the record's
 * Organizations, and the supplier systems become the supplier registry, which the token endpoint and the
 * authorizer reload within `REGISTRY_CACHE_SECONDS`. It travels as an S3 object rather than the custom
 * resource's properties, so 1,000 organisations and 60 systems stay clear of CloudFormation's size limits.
 *
 * @example await applyDeploymentRegistry({ bucket: 'cdk-assets', key: 'abc.json' })
 */
export async function applyDeploymentRegistry(location: { bucket: string; key: string }) {
  const { s3, GetObjectCommand } = await s3Sdk();
  const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
  const registry = JSON.parse(await (object.Body?.transformToString() ?? '{}')) as DeploymentRegistry;
  const result = await registerOrganisations(registry.organisations ?? []);
  if (registry.supplierSystems) await replaceSupplierRegistry(registry.supplierSystems);
  return {
    ...result,
    organisations: registry.organisations?.length ?? 0,
    supplierSystems: registry.supplierSystems?.length,
  };
}
