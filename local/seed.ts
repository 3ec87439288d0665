import type { Organization, Patient, Resource } from '@medplum/fhirtypes';
import { NHS_NUMBER_SYSTEM } from '#shared/fhir/nhs-number';
import { ODS_CODE_SYSTEM } from '#shared/fhir/ods-code';
import { withServerMeta } from '#shared/record/contributor';
import { commit, partitionOf, readCurrent } from '#shared/record/record-store';
import { demoOrganisations } from './demo-organisations.ts';
import { seedDemoPatient } from './seed-demo-patient.ts';

/** Demo patients registered at the sandbox's first practice (NHS England test-range numbers). */
const demoPatients: Patient[] = [
  {
    resourceType: 'Patient',
    id: '9000000009',
    name: [{ use: 'official', family: 'Example', given: ['Jane'] }],
    gender: 'female',
    birthDate: '1968-04-12',
  },
  {
    resourceType: 'Patient',
    id: '9000000017',
    name: [{ use: 'official', family: 'Sample', given: ['John'] }],
    gender: 'male',
    birthDate: '1954-11-30',
  },
];

/**
 * Seeds the sandbox's organisations and demo patients, each only if it is not there yet, so a restart keeps
 * whatever the developer changed.
 */
export async function seedSandbox(): Promise<void> {
  const practice = demoOrganisations[0]?.odsCode as string;
  const organisations: Organization[] = demoOrganisations.map((org) => ({
    resourceType: 'Organization',
    id: org.odsCode,
    identifier: [{ system: ODS_CODE_SYSTEM, value: org.odsCode }],
    active: true,
    type: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: org.type }] },
    ],
    name: org.name,
  }));
  const patients = demoPatients.map((p) => ({
    ...p,
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: p.id }],
    generalPractitioner: [{ reference: `Organization/${practice}` }],
  }));
  for (const resource of [...organisations, ...patients] as (Resource & { id: string })[]) {
    const partition = partitionOf(resource.resourceType, resource.id);
    if (await readCurrent(resource.resourceType, resource.id, partition)) continue;
    const lastUpdated = new Date().toISOString();
    const contributor = resource.resourceType === 'Organization' ? resource.id : practice;
    const stored = withServerMeta(resource, { versionId: 1, lastUpdated, contributor });
    await commit([
      { next: { partition, resource: stored, versionId: 1, lastUpdated, contributor, deleted: false } },
    ]);
  }
  await seedDemoPatient();
}
