import type { Appointment, Composition, DiagnosticReport, ServiceRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { type ChangeContext, eventsForChange } from '#shared/events/classify-change';
import { BadRequestError } from '#shared/fhir/operation-outcome';
import { patientOf } from '#shared/fhir/patient-reference';
import { careNoticeKind, careNoticeTask } from '#shared/notifications/care-notice';
import { careNoticeRecipients } from '#shared/notifications/care-notice-recipients';
import type { RecordEvent } from '#shared/notifications/record-event';
import type { RecordRelationships } from '#shared/notifications/record-relationships';
import { topicForDetailType } from '#shared/subscriptions/subscription-topics';

// Expected values are issue 18's words: the detail-types and topics, written out here, not read from the code.
const context: ChangeContext = { patient: '9000000009', contributor: 'A81001', safeguardingCodes: [] };
const subject = { reference: 'Patient/9000000009' };

const referral = (status: ServiceRequest['status'], performers: string[]): ServiceRequest => ({
  resourceType: 'ServiceRequest',
  id: 'sr-1',
  status,
  intent: 'order',
  subject,
  performer: performers.map((ods) => ({ reference: `Organization/${ods}` })),
});
const appointment = (status: Appointment['status']): Appointment => ({
  resourceType: 'Appointment',
  id: 'ap-1',
  status,
  basedOn: [{ reference: 'ServiceRequest/sr-1' }],
  participant: [{ actor: subject, status: 'accepted' }],
});
const report = (status: DiagnosticReport['status']): DiagnosticReport => ({
  resourceType: 'DiagnosticReport',
  id: 'dr-1',
  status,
  code: { text: 'Full blood count' },
  subject,
});
const kinds = (events: { detailType: string }[]) => events.map((e) => e.detailType);

describe('events of what the national services feed the record', () => {
  it('raises ServiceRequest.Received once for each organisation an active referral newly names', () => {
    const received = eventsForChange(undefined, referral('active', ['RX1']), context);
    expect(received).toEqual([
      {
        detailType: 'ServiceRequest.Received',
        detail: {
          patient: 'Patient/9000000009',
          focus: 'ServiceRequest/sr-1',
          contributor: 'A81001',
          organisation: 'RX1',
        },
      },
    ]);
    // A draft is not yet sent; sending it is the arrival.
    expect(eventsForChange(undefined, referral('draft', ['RX1']), context)).toEqual([]);
    expect(kinds(eventsForChange(referral('draft', ['RX1']), referral('active', ['RX1']), context))).toEqual([
      'ServiceRequest.Received',
    ]);
    // Saved again: nothing new. A second organisation added: only it receives.
    expect(eventsForChange(referral('active', ['RX1']), referral('active', ['RX1']), context)).toEqual([]);
    const added = eventsForChange(referral('active', ['RX1']), referral('active', ['RX1', 'RX2']), context);
    expect(added.map((e) => e.detail.organisation)).toEqual(['RX2']);
  });

  it('raises Appointment.Booked and Appointment.Cancelled on those transitions, naming the referral', () => {
    const booked = eventsForChange(appointment('proposed'), appointment('booked'), context);
    expect(booked).toEqual([
      {
        detailType: 'Appointment.Booked',
        detail: {
          patient: 'Patient/9000000009',
          focus: 'Appointment/ap-1',
          contributor: 'A81001',
          basedOn: ['ServiceRequest/sr-1'],
        },
      },
    ]);
    expect(kinds(eventsForChange(appointment('booked'), appointment('cancelled'), context))).toEqual([
      'Appointment.Cancelled',
    ]);
    expect(eventsForChange(appointment('booked'), appointment('booked'), context)).toEqual([]);
    expect(eventsForChange(appointment('booked'), appointment('fulfilled'), context)).toEqual([]);
  });

  it('raises DiagnosticReport.Added when a report is first issued, not when it is registered or amended', () => {
    expect(eventsForChange(undefined, report('registered'), context)).toEqual([]);
    expect(kinds(eventsForChange(report('registered'), report('preliminary'), context))).toEqual([
      'DiagnosticReport.Added',
    ]);
    expect(kinds(eventsForChange(undefined, report('final'), context))).toEqual(['DiagnosticReport.Added']);
    expect(eventsForChange(report('final'), report('amended'), context)).toEqual([]);
  });

  it('puts them on the referral, appointment and result topics', () => {
    const base = 'https://shared-care-record.org/fhir/SubscriptionTopic/';
    expect(topicForDetailType('ServiceRequest.Received')?.url).toBe(`${base}referral`);
    expect(topicForDetailType('Appointment.Booked')?.url).toBe(`${base}appointment`);
    expect(topicForDetailType('Appointment.Cancelled')?.url).toBe(`${base}appointment`);
    expect(topicForDetailType('DiagnosticReport.Added')?.url).toBe(`${base}result`);
  });
});

describe('the referral notice', () => {
  const event: RecordEvent = {
    detailType: 'ServiceRequest.Received',
    eventId: 'journal-1-0',
    nhsNumber: '9000000009',
    focus: 'ServiceRequest/sr-1',
    contributor: 'A81001',
    organisation: 'RX1',
    occurred: '2026-11-26T10:00:00.000Z',
  };
  const record: RecordRelationships = {
    patientRegistered: true,
    registeredPractice: 'A81001',
    careContexts: { RX1: { 'ServiceRequest/sr-1': 'open' }, RX2: { 'Encounter/e1': 'open' } },
    sharingObjection: false,
  };

  it('goes to the organisation the referral is sent to, and no one else', () => {
    expect(careNoticeKind('ServiceRequest.Received')).toBe('referral');
    expect(careNoticeRecipients('referral', record, event, ['RX2'])).toEqual(['RX1']);
    // Sent to oneself: no notice.
    expect(careNoticeRecipients('referral', record, { ...event, organisation: 'A81001' }, [])).toEqual([]);
  });

  it('is a requested order owned by the receiver, about the referral, for the patient', () => {
    const task = careNoticeTask('referral', event, 'RX1');
    expect(task).toMatchObject({
      status: 'requested',
      intent: 'order',
      focus: { reference: 'ServiceRequest/sr-1' },
      for: { reference: 'Patient/9000000009' },
      owner: { reference: 'Organization/RX1' },
      code: { coding: [{ code: 'referral' }] },
    });
  });
});

describe('the discharge summary event', () => {
  const composition = (code: string, status: 'preliminary' | 'final'): Composition => ({
    resourceType: 'Composition',
    id: 'c-1',
    status,
    type: { coding: [{ system: 'http://loinc.org', code }] },
    subject,
    encounter: { reference: 'Encounter/enc-1' },
    date: '2026-11-26T10:00:00Z',
    author: [{ display: 'Dr Amara Okafor' }],
    title: 'Discharge summary',
  });

  it('raises Composition.DischargeSummaryAdded for a final LOINC 18842-5, naming its Encounter', () => {
    expect(eventsForChange(undefined, composition('18842-5', 'final'), context)).toEqual([
      {
        detailType: 'Composition.DischargeSummaryAdded',
        detail: {
          patient: 'Patient/9000000009',
          focus: 'Composition/c-1',
          contributor: 'A81001',
          encounter: 'Encounter/enc-1',
        },
      },
    ]);
    expect(eventsForChange(undefined, composition('18842-5', 'preliminary'), context)).toEqual([]);
    expect(eventsForChange(undefined, composition('11488-4', 'final'), context)).toEqual([]);
    expect(topicForDetailType('Composition.DischargeSummaryAdded')?.url).toBe(
      'https://shared-care-record.org/fhir/SubscriptionTopic/discharge-summary',
    );
  });
});

describe("an Appointment's patient", () => {
  const withActors = (...references: string[]) =>
    ({
      resourceType: 'Appointment',
      status: 'booked',
      participant: references.map((reference) => ({ actor: { reference }, status: 'accepted' })),
    }) as Appointment;

  it('is the participant whose actor is a Patient, among practitioners and locations', () => {
    expect(patientOf(withActors('Practitioner/p1', 'Patient/9000000009', 'Location/l1'))).toBe('9000000009');
  });

  it('is required, and only one (400 otherwise)', () => {
    for (const appointment of [
      withActors('Practitioner/p1'),
      withActors('Patient/9000000009', 'Patient/9000000017'),
    ]) {
      expect(() => patientOf(appointment)).toThrow(BadRequestError);
    }
  });
});
