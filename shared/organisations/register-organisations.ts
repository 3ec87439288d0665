import type { Organization } from '@medplum/fhirtypes';
import { ODS_CODE_SYSTEM } from '../fhir/ods-code.ts';
import { withServerMeta } from '../record/contributor.ts';
import { commit, partitionOf, readCurrent } from '../record/record-store.ts';

/** An organisation as an ICB's config lists it. */
export interface OrganisationEntry {
  odsCode: string;
  name: string;
  /** FHIR organization-type code (http://terminology.hl7.org/CodeSystem/organization-type); `prov` by default. */
  type?: 'prov' | 'govt' | 'other';
}

/** The Organization resource of an entry, at its ODS code, as CONTRACT §1 has suppliers find it. */
export function organisationResource(entry: OrganisationEntry): Organization {
  return {
    resourceType: 'Organization',
    id: entry.odsCode,
    identifier: [{ system: ODS_CODE_SYSTEM, value: entry.odsCode }],
    active: true,
    type: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: entry.type ?? 'prov' },
        ],
      },
    ],
    name: entry.name,
  };
}

/**
 * Makes the record's Organizations match the ICB's list: creates those missing and updates those whose name or
 * type changed, each contributed by itself; leaves the others alone (an organisation that leaves the list keeps
 * its resource, since the record refers to it).
 *
 * @example await registerOrganisations([{ odsCode: 'A81001', name: 'Riverside Medical Practice' }])
 */
export async function registerOrganisations(
  entries: readonly OrganisationEntry[],
): Promise<{ created: string[]; updated: string[] }> {
  const created: string[] = [];
  const updated: string[] = [];
  for (const entry of entries) {
    const wanted = organisationResource(entry);
    const partition = partitionOf('Organization', entry.odsCode);
    const current = await readCurrent('Organization', entry.odsCode, partition);
    if (current && !current.deleted && sameOrganisation(current.resource as Organization, wanted)) continue;
    const versionId = (current?.versionId ?? 0) + 1;
    const lastUpdated = new Date().toISOString();
    const resource = withServerMeta(wanted, { versionId, lastUpdated, contributor: entry.odsCode });
    await commit([
      {
        next: { partition, resource, versionId, lastUpdated, contributor: entry.odsCode, deleted: false },
        ...(current ? { previous: current } : {}),
      },
    ]);
    (current ? updated : created).push(entry.odsCode);
  }
  return { created, updated };
}

function sameOrganisation(stored: Organization, wanted: Organization): boolean {
  return stored.name === wanted.name && JSON.stringify(stored.type) === JSON.stringify(wanted.type);
}
