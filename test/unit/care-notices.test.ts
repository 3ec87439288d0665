import type { Flag } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { careNoticeKind, careNoticeTask, careNoticeTaskId } from '#shared/notifications/care-notice';
import { careNoticeRecipients } from '#shared/notifications/care-notice-recipients';
import { mayBeTold } from '#shared/notifications/notice-visibility';
import type { RecordEvent } from '#shared/notifications/record-event';
import type { RecordRelationships } from '#shared/notifications/record-relationships';
import type { StoredResource } from '#shared/record/record-store';

const flag: Flag = {
  resourceType: 'Flag',
  id: 'flag-1',
  status: 'active',
  code: { coding: [{ system: 'http://snomed.info/sct', code: '836881000000105' }] },
  subject: { reference: 'Patient/9000000009' },
};
const stored = (resource: Flag, contributor: string): StoredResource => ({
  partition: 'PATIENT#9000000009',
  resource,
  versionId: 1,
  lastUpdated: '2026-11-26T10:00:00Z',
  contributor,
  deleted: false,
});
const raised: RecordEvent = {
  detailType: 'Flag.SafeguardingRaised',
  eventId: 'journal-1-0',
  nhsNumber: '9000000009',
  focus: 'Flag/flag-1',
  contributor: 'RX1',
  occurred: '2026-11-26T10:00:00.000Z',
};
const admitted: RecordEvent = { ...raised, detailType: 'Encounter.Admitted', focus: 'Encounter/enc-1' };
const record: RecordRelationships = {
  patientRegistered: true,
  registeredPractice: 'A81001',
  careContexts: {
    RX1: { 'Encounter/e1': 'open' },
    RX2: { 'EpisodeOfCare/c1': 'open' },
    LA101: { 'ServiceRequest/r1': 'open' },
    // Ended long before now, past any grace period: no relationship, so no notice.
    RX9: { 'Encounter/e9': '2020-01-01T00:00:00.000Z' },
  },
  sharingObjection: false,
  focus: stored(flag, 'RX1'),
};
const SOCIAL_CARE = ['LA101'];

describe('care notice recipients', () => {
  it('gives a safeguarding notice to every related organisation but the one that raised it', () => {
    expect(careNoticeRecipients('safeguarding', record, raised, SOCIAL_CARE).sort()).toEqual([
      'A81001',
      'LA101',
      'RX2',
    ]);
  });

  it('gives admission and discharge notices to the registered practice and related social care only', () => {
    const encounter = { ...record, focus: undefined };

    expect(careNoticeRecipients('admission', encounter, admitted, SOCIAL_CARE).sort()).toEqual([
      'A81001',
      'LA101',
    ]);
    expect(careNoticeRecipients('discharge', encounter, admitted, [])).toEqual(['A81001']);
  });

  it('gives no notice to an unrelated social care organisation', () => {
    const unrelated = { ...record, careContexts: { RX1: { 'Encounter/e1': 'open' } }, focus: undefined };

    expect(careNoticeRecipients('admission', unrelated, admitted, ['LA101', 'LA999'])).toEqual(['A81001']);
  });

  it('tells no one else of a restricted Flag', () => {
    const restricted = {
      ...record,
      focus: stored(
        {
          ...flag,
          meta: {
            security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }],
          },
        },
        'RX1',
      ),
    };

    expect(careNoticeRecipients('safeguarding', restricted, raised, SOCIAL_CARE)).toEqual([]);
  });

  it("keeps news of another organisation's resource from everyone under an objection to sharing", () => {
    expect(
      careNoticeRecipients('safeguarding', { ...record, sharingObjection: true }, raised, SOCIAL_CARE),
    ).toEqual([]);
  });

  it('gives nothing for a patient no longer registered', () => {
    expect(careNoticeRecipients('safeguarding', { ...record, patientRegistered: false }, raised, [])).toEqual(
      [],
    );
  });
});

describe('care notice Task', () => {
  it('is requested, an order, owned by the organisation, about the focus, for the patient', () => {
    const task = careNoticeTask('safeguarding', raised, 'A81001');

    expect(task).toMatchObject({
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      priority: 'urgent',
      focus: { reference: 'Flag/flag-1' },
      for: { reference: 'Patient/9000000009' },
      owner: { reference: 'Organization/A81001' },
      requester: { reference: 'Organization/RX1' },
      identifier: [{ system: 'https://shared-care-record.org/fhir/Id/event', value: 'journal-1-0' }],
    });
    expect(careNoticeTask('admission', admitted, 'A81001').encounter).toEqual({
      reference: 'Encounter/enc-1',
    });
  });

  it('has one id per event and organisation, whatever the redelivery', () => {
    expect(careNoticeTaskId('journal-1-0', 'A81001')).toBe(
      careNoticeTask('safeguarding', raised, 'A81001').id,
    );
    expect(careNoticeTaskId('journal-1-0', 'A81001')).not.toBe(careNoticeTaskId('journal-1-0', 'LA101'));
    expect(careNoticeTaskId('journal-1-0', 'A81001')).not.toBe(careNoticeTaskId('journal-2-0', 'A81001'));
    expect(careNoticeTaskId('journal-1-0', 'A81001')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('comes from the three detail-types that give notices, and no others', () => {
    expect(careNoticeKind('Flag.SafeguardingRaised')).toBe('safeguarding');
    expect(careNoticeKind('Encounter.Admitted')).toBe('admission');
    expect(careNoticeKind('Encounter.Discharged')).toBe('discharge');
    expect(careNoticeKind('Patient.Deceased')).toBeUndefined();
  });
});

describe('who may be told of an event', () => {
  const subscriber = (odsCode: string, scopes = ['system/*.cruds']) => ({
    clientId: 'c',
    odsCode,
    role: 'gp' as const,
    scopes,
  });

  it('the registered practice and contributors, within their scopes', () => {
    expect(mayBeTold(subscriber('A81001'), record, raised)).toBe(true);
    expect(mayBeTold(subscriber('RX2'), record, raised)).toBe(true);
    expect(mayBeTold(subscriber('A81002'), record, raised)).toBe(false);
    expect(mayBeTold(subscriber('A81001', ['system/Patient.r']), record, raised)).toBe(false);
  });
});
