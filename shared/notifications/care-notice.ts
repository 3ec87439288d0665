import type { Task } from '@medplum/fhirtypes';
import { ODS_CODE_SYSTEM } from '../fhir/ods-code.ts';
import type { RecordEvent } from './record-event.ts';
import { stableUuid } from './stable-uuid.ts';

/** The notices the record gives organisations to act on (CONTRACT §5). */
export type CareNoticeKind = 'safeguarding' | 'admission' | 'discharge' | 'referral';

/** The code system of the service's notice Tasks. */
export const CARE_NOTICE_SYSTEM = 'https://shared-care-record.org/fhir/CodeSystem/care-notice';
/** Identifies the event a notice came from, so it can be traced back through the audit trail and the bus. */
export const EVENT_ID_SYSTEM = 'https://shared-care-record.org/fhir/Id/event';

const NOTICES: Record<CareNoticeKind, { display: string; priority: Task['priority'] }> = {
  safeguarding: { display: 'Safeguarding concern raised', priority: 'urgent' },
  admission: { display: 'Patient admitted', priority: 'routine' },
  discharge: { display: 'Patient discharged', priority: 'routine' },
  referral: { display: 'Referral received', priority: 'routine' },
};

/** The notice an event of this detail-type gives, or undefined. */
export function careNoticeKind(detailType: string): CareNoticeKind | undefined {
  if (detailType === 'Flag.SafeguardingRaised') return 'safeguarding';
  if (detailType === 'Encounter.Admitted') return 'admission';
  if (detailType === 'Encounter.Discharged') return 'discharge';
  if (detailType === 'ServiceRequest.Received') return 'referral';
  return undefined;
}

/**
 * The logical id of one organisation's notice of one event: the same on every redelivery of the event, so the
 * conditional create of a second copy fails instead of making one.
 */
export function careNoticeTaskId(eventId: string, odsCode: string): string {
  return stableUuid('care-notice', eventId, odsCode);
}

/**
 * The Task that tells one organisation of an event: requested, an order, owned by that organisation, about the
 * focus (the Flag or Encounter), for the patient. It carries references and codes only; acknowledging is the
 * owner updating its status.
 */
export function careNoticeTask(kind: CareNoticeKind, event: RecordEvent, ownerOdsCode: string): Task {
  const notice = NOTICES[kind];
  return {
    resourceType: 'Task',
    id: careNoticeTaskId(event.eventId, ownerOdsCode),
    identifier: [{ system: EVENT_ID_SYSTEM, value: event.eventId }],
    status: 'requested',
    intent: 'order',
    priority: notice.priority,
    code: {
      coding: [{ system: CARE_NOTICE_SYSTEM, code: kind, display: notice.display }],
      text: notice.display,
    },
    focus: { reference: event.focus },
    for: { reference: `Patient/${event.nhsNumber}` },
    ...(event.focus.startsWith('Encounter/') ? { encounter: { reference: event.focus } } : {}),
    authoredOn: event.occurred,
    ...(event.contributor
      ? {
          requester: {
            reference: `Organization/${event.contributor}`,
            identifier: { system: ODS_CODE_SYSTEM, value: event.contributor },
          },
        }
      : {}),
    owner: {
      reference: `Organization/${ownerOdsCode}`,
      identifier: { system: ODS_CODE_SYSTEM, value: ownerOdsCode },
    },
  };
}
