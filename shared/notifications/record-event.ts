import type { EventBridgeEvent } from 'aws-lambda';
import type { OutboxEvent } from '../events/detail-types.ts';
import { isValidNhsNumber } from '../fhir/nhs-number.ts';

/** A record event as a notifier works on it: the outbox's detail, checked, with its stable id and time. */
export interface RecordEvent {
  detailType: string;
  /** The outbox's stable id (`detail.eventId`), the same however often the event is published. */
  eventId: string;
  nhsNumber: string;
  /** `Encounter/123`. */
  focus: string;
  /** ODS code of the organisation whose change raised it. */
  contributor?: string;
  /** ODS code of the organisation it is for, when it names one (the receiver of a referral). */
  organisation?: string;
  occurred: string;
}

/**
 * Reads an EventBridge event of the record's bus into a RecordEvent, or undefined when it names no patient or
 * focus (nothing a notice could be about).
 */
export function recordEvent(event: EventBridgeEvent<string, OutboxEvent['detail']>): RecordEvent | undefined {
  const { detail } = event;
  const nhsNumber = /^Patient\/(\d{10})$/.exec(String(detail?.patient ?? ''))?.[1];
  const focus = typeof detail?.focus === 'string' && /^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(detail.focus);
  if (!nhsNumber || !isValidNhsNumber(nhsNumber) || !focus) return undefined;
  return {
    detailType: event['detail-type'],
    eventId: typeof detail.eventId === 'string' ? detail.eventId : event.id,
    nhsNumber,
    focus: detail.focus as string,
    ...(typeof detail.contributor === 'string' ? { contributor: detail.contributor } : {}),
    ...(typeof detail.organisation === 'string' ? { organisation: detail.organisation } : {}),
    occurred: event.time,
  };
}
