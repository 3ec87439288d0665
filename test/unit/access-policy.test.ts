import type { Condition, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import {
  decideAuditAccess,
  decideRecordAccess,
  mayChange,
  resourceVisible,
} from '#shared/access/access-policy';
import type { Caller } from '#shared/access/access-token';
import type { RecordAccessFacts } from '#shared/access/record-access-facts';
import { hasScope } from '#shared/access/scopes';

const caller = (odsCode: string, scopes = ['system/*.cruds'], role: Caller['role'] = 'acute'): Caller => ({
  clientId: `client-${odsCode}`,
  odsCode,
  role,
  scopes,
});
const facts = (overrides: Partial<RecordAccessFacts> = {}): RecordAccessFacts => ({
  patientRegistered: true,
  registeredPractice: 'A81001',
  careContexts: {},
  sharingObjection: false,
  ...overrides,
});
const condition = (security?: string): Condition => ({
  resourceType: 'Condition',
  subject: { reference: 'Patient/9000000009' },
  ...(security
    ? {
        meta: {
          security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: security }],
        },
      }
    : {}),
});

describe('hasScope', () => {
  it.each([
    [['system/*.cruds'], 'Condition', 'r', true],
    [['system/Condition.rs'], 'Condition', 's', true],
    [['system/Condition.rs'], 'Condition', 'c', false],
    [['system/Condition.rs'], 'Observation', 'r', false],
    [['system/AuditEvent.rs'], 'AuditEvent', 's', true],
    [['system/*.read'], 'Flag', 's', true],
    [['system/*.read'], 'Flag', 'u', false],
    [['system/*.write'], 'Flag', 'd', true],
    [['user/*.cruds'], 'Flag', 'r', false],
    [['system/*.srcud'], 'Flag', 'r', false],
    [[], 'Flag', 'r', false],
  ] as const)('%j on %s %s → %s', (scopes, type, permission, expected) => {
    expect(hasScope(scopes, type, permission)).toBe(expected);
  });
});

describe('decideRecordAccess', () => {
  it.each([
    [
      'the registered practice',
      caller('A81001'),
      'TREAT',
      facts(),
      { allowed: true, basis: 'registered-practice' },
    ],
    [
      'an organisation with an open care context',
      caller('RX1'),
      'TREAT',
      facts({ careContexts: { 'Encounter/1': 'open' } }),
      { allowed: true, basis: 'care-context' },
    ],
    ['an unrelated organisation', caller('RX2'), 'TREAT', facts(), { allowed: false }],
    [
      'an unrelated organisation breaking glass',
      caller('RX2'),
      'ETREAT',
      facts(),
      { allowed: true, basis: 'break-glass' },
    ],
    [
      'the practice breaking glass',
      caller('A81001'),
      'ETREAT',
      facts(),
      { allowed: true, basis: 'break-glass' },
    ],
    [
      'a client without read scope',
      caller('A81001', ['system/AuditEvent.rs']),
      'TREAT',
      facts(),
      { allowed: false },
    ],
    [
      'a client without read scope breaking glass',
      caller('RX2', ['system/AuditEvent.rs']),
      'ETREAT',
      facts(),
      { allowed: false },
    ],
  ] as const)('%s', (_name, who, purpose, recordFacts, expected) => {
    expect(decideRecordAccess(who, purpose, recordFacts, 'Condition', 'r')).toMatchObject(expected);
  });
});

describe('resourceVisible', () => {
  const related = { allowed: true as const, basis: 'care-context' as const };
  const glass = { allowed: true as const, basis: 'break-glass' as const };
  it.each([
    ['own resource', related, facts(), condition(), 'RX1', true],
    ["another's resource", related, facts(), condition(), 'A81001', true],
    ["another's restricted resource", related, facts(), condition('R'), 'A81001', false],
    ["another's very restricted resource", related, facts(), condition('V'), 'A81001', false],
    ['own restricted resource', related, facts(), condition('R'), 'RX1', true],
    ["another's restricted resource under break-glass", glass, facts(), condition('R'), 'A81001', false],
    [
      "another's resource under an objection",
      related,
      facts({ sharingObjection: true }),
      condition(),
      'A81001',
      false,
    ],
    ['own resource under an objection', related, facts({ sharingObjection: true }), condition(), 'RX1', true],
    [
      "another's resource under an objection, breaking glass",
      glass,
      facts({ sharingObjection: true }),
      condition(),
      'A81001',
      true,
    ],
    [
      'the Patient under an objection',
      related,
      facts({ sharingObjection: true }),
      { resourceType: 'Patient' },
      'A81001',
      true,
    ],
    [
      'a Consent under an objection',
      related,
      facts({ sharingObjection: true }),
      { resourceType: 'Consent' },
      'A81001',
      true,
    ],
  ] as const)('%s', (_name, decision, recordFacts, resource, contributor, expected) => {
    expect(resourceVisible(caller('RX1'), decision, recordFacts, resource as Resource, contributor)).toBe(
      expected,
    );
  });
});

describe('decideAuditAccess', () => {
  it.each([
    ['the ICB auditor', caller('QNB', ['system/AuditEvent.rs'], 'auditor'), true],
    ['the registered practice', caller('A81001', ['system/*.cruds'], 'gp'), true],
    ['a trust with a care context', caller('RX1'), false],
    ['an auditor role without the scope', caller('QNB', ['system/Patient.rs'], 'auditor'), false],
  ] as const)('%s → %s', (_name, who, allowed) => {
    expect(decideAuditAccess(who, facts({ careContexts: { 'Encounter/1': 'open' } })).allowed).toBe(allowed);
  });
});

describe('mayChange', () => {
  it.each([
    ['the contributor updating', caller('RX1'), 'u', 'RX1', undefined],
    ['another organisation updating', caller('RX2'), 'u', 'RX1', 'Only the contributing organisation'],
    ['the contributor without delete scope', caller('RX1', ['system/*.cru']), 'd', 'RX1', 'scopes'],
  ] as const)('%s', (_name, who, permission, contributor, refusal) => {
    const result = mayChange(who, 'Condition', permission, contributor);
    if (refusal === undefined) expect(result).toBeUndefined();
    else expect(result).toContain(refusal);
  });
});
