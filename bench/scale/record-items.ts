import type { Resource } from '@medplum/fhirtypes';
import { withServerMeta } from '#shared/record/contributor';
import { type StoredResource, toCurrentItem } from '#shared/record/record-store';
import { patientPartition } from '#shared/service/table-design';

type Item = Record<string, unknown>;

/** The table item of a resource's current version: the record store's own builder. */
export const currentItem: (v: StoredResource) => Item = toCurrentItem;

/** A first version of a resource in a patient's record, stamped as the server stamps it. */
export function firstVersion(
  nhs: string,
  body: Record<string, unknown>,
  contributor: string,
): StoredResource {
  const lastUpdated = new Date().toISOString();
  const id = body.resourceType === 'Patient' ? nhs : crypto.randomUUID();
  const resource = withServerMeta({ ...body, id } as unknown as Resource, {
    versionId: 1,
    lastUpdated,
    contributor,
  });
  return {
    partition: patientPartition(nhs),
    resource,
    versionId: 1,
    lastUpdated,
    contributor,
    deleted: false,
  };
}

/** True when two items have the same attributes with values of the same types (what a replica must match). */
export function sameShape(a: Item, b: Item): boolean {
  const shape = (i: Item) =>
    Object.keys(i)
      .sort()
      .map((k) => `${k}:${typeof i[k]}`)
      .join(',');
  return shape(a) === shape(b);
}
