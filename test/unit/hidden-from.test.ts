import type { Condition, Consent, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { hiddenFrom } from '#shared/access/access-policy';
import type { Caller } from '#shared/access/access-token';
import type { RecordAccessFacts } from '#shared/access/record-access-facts';

const caller: Caller = { clientId: 'client-RX1', odsCode: 'RX1', role: 'acute', scopes: ['system/*.cruds'] };
const facts = (sharingObjection: boolean): RecordAccessFacts => ({
  patientRegistered: true,
  registeredPractice: 'A81001',
  careContexts: { 'Encounter/rx1-admission': 'open' },
  sharingObjection,
});
const labelled = (code?: 'R' | 'V'): Condition => ({
  resourceType: 'Condition',
  subject: { reference: 'Patient/9000000009' },
  ...(code
    ? { meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code }] } }
    : {}),
});
const patient: Patient = { resourceType: 'Patient', id: '9000000009' };
const consent: Consent = {
  resourceType: 'Consent',
  status: 'active',
  scope: {},
  category: [],
  patient: { reference: 'Patient/9000000009' },
};

/** CONTRACT §4, written out: what is hidden from RX1, by contributor, label, objection and purpose. */
describe('hiddenFrom', () => {
  it.each([
    ['its own very restricted Condition', labelled('V'), 'RX1', false, 'TREAT', false],
    ["another's restricted Condition", labelled('R'), 'A81001', false, 'TREAT', true],
    [
      "another's very restricted Condition, even at break-glass",
      labelled('V'),
      'A81001',
      false,
      'ETREAT',
      true,
    ],
    ["another's unlabelled Condition", labelled(), 'A81001', false, 'TREAT', false],
    ["another's unlabelled Condition under objection", labelled(), 'A81001', true, 'TREAT', true],
    [
      "another's unlabelled Condition under objection, at break-glass",
      labelled(),
      'A81001',
      true,
      'ETREAT',
      false,
    ],
    ['its own Condition under objection', labelled(), 'RX1', true, 'TREAT', false],
    ['the Patient under objection', patient, 'A81001', true, 'TREAT', false],
    ["another's Consent under objection", consent, 'A81001', true, 'TREAT', false],
  ] as const)('%s', (_name, resource, contributor, objection, purpose, hidden) => {
    expect(hiddenFrom(caller, purpose, facts(objection), resource, contributor)).toBe(hidden);
  });
});
