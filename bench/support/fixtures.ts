import { NHS_NUMBER_SYSTEM } from '#shared/fhir/nhs-number';

/** The sandbox's first practice (`local/demo-organisations.ts`): the bench's patients are registered there. */
export const PRACTICE = 'A81001';

/**
 * NHS numbers that pass the Modulus 11 check, in order, from a 3-digit prefix: each part of the benchmark
 * takes its own prefix, so no two parts register the same patient. About 909,000 numbers per prefix.
 */
export function* nhsNumbers(prefix: string): Generator<string> {
  for (let i = 0; i < 1_000_000; i++) {
    const digits = `${prefix}${String(i).padStart(6, '0')}`;
    let sum = 0;
    for (let d = 0; d < 9; d++) sum += Number(digits[d]) * (10 - d);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    yield `${digits}${check === 11 ? 0 : check}`;
  }
}

/** A UK Core-style Patient registered at the bench's practice. */
export function patient(nhs: string): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id: nhs,
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: nhs }],
    name: [{ use: 'official', family: 'Benchmark', given: ['Alex'] }],
    gender: 'unknown',
    birthDate: '1961-07-14',
    generalPractitioner: [{ reference: `Organization/${PRACTICE}` }],
  };
}

const snomed = (code: string, display: string) => ({
  coding: [{ system: 'http://snomed.info/sct', code, display }],
});

/** The clinical types the benchmark writes, each as a small valid resource for a patient (no events raised). */
export const clinicalResource = {
  Encounter: (nhs: string) => ({
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [snomed('185349003', 'Encounter for check up')],
    subject: { reference: `Patient/${nhs}` },
    period: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T09:15:00Z' },
  }),
  Observation: (nhs: string) => ({
    resourceType: 'Observation',
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
        ],
      },
    ],
    code: snomed('27113001', 'Body weight'),
    subject: { reference: `Patient/${nhs}` },
    effectiveDateTime: '2026-03-02T09:05:00Z',
    valueQuantity: { value: 72.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
  }),
  Condition: (nhs: string) => ({
    resourceType: 'Condition',
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
    },
    verificationStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
    },
    code: snomed('44054006', 'Diabetes mellitus type 2'),
    subject: { reference: `Patient/${nhs}` },
    onsetDateTime: '2019-05-01',
  }),
  MedicationStatement: (nhs: string) => ({
    resourceType: 'MedicationStatement',
    status: 'active',
    medicationCodeableConcept: snomed('109081006', 'Metformin'),
    subject: { reference: `Patient/${nhs}` },
    effectiveDateTime: '2026-01-10',
  }),
  AllergyIntolerance: (nhs: string) => ({
    resourceType: 'AllergyIntolerance',
    clinicalStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
      ],
    },
    verificationStatus: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
          code: 'confirmed',
        },
      ],
    },
    code: snomed('91936005', 'Allergy to penicillin'),
    patient: { reference: `Patient/${nhs}` },
  }),
} as const;

export type ClinicalType = keyof typeof clinicalResource;

/**
 * One small valid resource of each type the national services feed the record (issue 18), and the care contexts,
 * for the record of every type that `$everything` is measured on. Kept apart from `clinicalResource`, whose five
 * types make the CRUD mix and the storage floor.
 */
export const everyOtherResource = {
  EpisodeOfCare: (nhs: string) => ({
    resourceType: 'EpisodeOfCare',
    status: 'finished',
    patient: { reference: `Patient/${nhs}` },
    period: { start: '2025-01-10', end: '2025-06-30' },
  }),
  ServiceRequest: (nhs: string) => ({
    resourceType: 'ServiceRequest',
    status: 'completed',
    intent: 'order',
    code: snomed('183519002', 'Referral to cardiology service'),
    subject: { reference: `Patient/${nhs}` },
    performer: [{ reference: `Organization/${PRACTICE}` }],
  }),
  MedicationRequest: (nhs: string) => ({
    resourceType: 'MedicationRequest',
    status: 'completed',
    intent: 'order',
    medicationCodeableConcept: snomed('325278005', 'Metformin 500mg tablets'),
    subject: { reference: `Patient/${nhs}` },
    authoredOn: '2026-01-10',
  }),
  MedicationDispense: (nhs: string) => ({
    resourceType: 'MedicationDispense',
    status: 'completed',
    medicationCodeableConcept: snomed('325278005', 'Metformin 500mg tablets'),
    subject: { reference: `Patient/${nhs}` },
    whenHandedOver: '2026-01-11T10:00:00Z',
  }),
  Appointment: (nhs: string) => ({
    resourceType: 'Appointment',
    status: 'fulfilled',
    start: '2026-02-01T09:00:00Z',
    end: '2026-02-01T09:15:00Z',
    participant: [{ actor: { reference: `Patient/${nhs}` }, status: 'accepted' }],
  }),
  DiagnosticReport: (nhs: string) => ({
    resourceType: 'DiagnosticReport',
    status: 'final',
    code: snomed('26604007', 'Full blood count'),
    subject: { reference: `Patient/${nhs}` },
    conclusion: 'Normal',
  }),
  Composition: (nhs: string) => ({
    resourceType: 'Composition',
    status: 'final',
    type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }] },
    subject: { reference: `Patient/${nhs}` },
    date: '2026-02-01T10:00:00Z',
    author: [{ display: 'Dr Benchmark' }],
    title: 'Clinic letter',
  }),
  RelatedPerson: (nhs: string) => ({
    resourceType: 'RelatedPerson',
    patient: { reference: `Patient/${nhs}` },
    relationship: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'WIFE', display: 'wife' },
        ],
      },
    ],
  }),
  CareTeam: (nhs: string) => ({
    resourceType: 'CareTeam',
    status: 'active',
    name: 'District nursing',
    subject: { reference: `Patient/${nhs}` },
  }),
} as const;
export const clinicalTypes = Object.keys(clinicalResource) as ClinicalType[];

/**
 * The same resource with one element changed, as the Health Samurai CRUD workload's `changeResource` does
 * before each update: a status toggled or a time moved.
 */
export function changed(resource: Record<string, unknown>): Record<string, unknown> {
  const now = new Date().toISOString();
  switch (resource.resourceType) {
    case 'Patient':
      return { ...resource, gender: resource.gender === 'unknown' ? 'other' : 'unknown' };
    case 'Observation':
      return { ...resource, issued: now };
    case 'MedicationStatement':
      return { ...resource, status: resource.status === 'active' ? 'completed' : 'active' };
    case 'Encounter':
      return { ...resource, period: { start: '2026-03-02T09:00:00Z', end: now } };
    default:
      return { ...resource, recordedDate: now };
  }
}
