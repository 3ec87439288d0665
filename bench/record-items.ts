import type { Patient, Resource } from '@medplum/fhirtypes';
import { withServerMeta } from '#shared/record/contributor';
import type { StoredResource } from '#shared/record/record-store';
import { registeredPracticeOf } from '#shared/record/registered-practice';
import { contributorKey, currentKey, patientPartition } from '#shared/record/table-design';

type Item = Record<string, unknown>;

/**
 * The table item of a resource's current version, exactly as the record store writes it. The store's own
 * builder (`toCurrentItem` in shared/record/record-store.ts) is not exported, so this replicates it; the
 * scale benchmark checks a replica against an item the store wrote (`sameShape`) before relying on it.
 */
export function currentItem(v: StoredResource): Item {
  const { resourceType, id } = v.resource as Resource & { id: string };
  const practice = resourceType === 'Patient' ? registeredPracticeOf(v.resource as Patient) : undefined;
  return {
    PK: v.partition,
    SK: currentKey(resourceType, id),
    GSI1PK: `${resourceType}/${id}`,
    resourceType: v.resource.resourceType,
    resource: JSON.stringify(v.resource),
    versionId: v.versionId,
    lastUpdated: v.lastUpdated,
    contributor: v.contributor,
    deleted: v.deleted,
    ...(practice && !v.deleted ? { registeredPractice: practice } : {}),
  };
}

/** The marker that an organisation has contributed to a patient's record, as a committed write leaves it. */
export function contributorItem(nhs: string, odsCode: string): Item {
  return { PK: patientPartition(nhs), SK: contributorKey(odsCode) };
}

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
