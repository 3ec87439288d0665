import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditFacts } from '#shared/audit/audit-event';
import { rememberPatientDetail } from './test-patients.ts';

const EXAMPLES = join(import.meta.dirname, '../../../shared/fhir-test-cases/examples');

/**
 * One of HL7's official R4 example resources, unchanged and freshly read, so a test may alter its copy.
 *
 * @example const observation = officialExample<Observation>('observation-example.json');
 */
export function officialExample<T extends object = Record<string, unknown>>(file: string): T {
  return JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as T;
}

/** A UK Core-style Patient registered at `practice`. */
export function ukPatient(nhs: string, practice = 'A81001', extra: Record<string, unknown> = {}) {
  rememberPatientDetail(nhs, 'Testpatient', 'Robin', '1979-02-28');
  return {
    resourceType: 'Patient',
    id: nhs,
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }],
    name: [{ use: 'official', family: 'Testpatient', given: ['Robin'] }],
    gender: 'unknown',
    birthDate: '1979-02-28',
    generalPractitioner: [{ reference: `Organization/${practice}` }],
    ...extra,
  };
}

/** The audit facts of a journal entry a test writes itself (the outbox tests), for its patient. */
export function testAuditFacts(nhs: string): AuditFacts {
  return {
    caller: { clientId: 'integration-test', odsCode: 'X26' },
    purpose: { code: 'TREAT' },
    interaction: 'create',
    action: 'C',
    outcome: '0',
    patient: nhs,
  };
}
