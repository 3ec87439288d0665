import type { Resource } from '@medplum/fhirtypes';
import { withServerMeta } from '#shared/record/contributor';
import { type StoredResource, toCurrentItem } from '#shared/record/record-store';
import { patientPartition } from '#shared/service/table-design';
import { clinicalResource, PRACTICE, patient } from '../support/fixtures.ts';

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

/** The clinical resources each filler patient carries besides its Patient. */
export const FILLER_TYPES = ['Observation', 'Condition', 'Encounter', 'MedicationStatement'] as const;

/** The items of `patients` filler patients (a Patient and one of each FILLER_TYPES), in the store's shapes. */
export function* fillerItems(numbers: Generator<string>, patients: number): Generator<Item> {
  for (let i = 0; i < patients; i++) {
    const nhs = numbers.next().value as string;
    yield currentItem(firstVersion(nhs, patient(nhs), PRACTICE));
    for (const type of FILLER_TYPES)
      yield currentItem(firstVersion(nhs, clinicalResource[type](nhs), PRACTICE));
  }
}
