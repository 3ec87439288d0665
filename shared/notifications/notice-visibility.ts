import type { Resource } from '@medplum/fhirtypes';
import { decideRecordAccess, resourceVisible } from '../access/access-policy.ts';
import type { Caller } from '../access/access-token.ts';
import { accessFactsFor, type RecordRelationships } from './record-relationships.ts';

/** What an event is about, as its detail says. */
export interface EventFocus {
  /** `Encounter/123`. */
  focus: string;
  /** ODS code of the organisation whose change raised the event. */
  contributor?: string;
}

/**
 * Whether an organisation may be told of an event, by the same rules that decide whether it may read the
 * resource the event is about (CONTRACT §4): a legitimate relationship with the patient (never break-glass),
 * scopes that reach the resource, and a resource it could see — a restricted label or the patient's objection
 * to sharing keeps others' resources, and so news of them, from it.
 */
export function mayBeTold(
  organisation: Caller,
  relationships: RecordRelationships,
  event: EventFocus,
): boolean {
  if (!relationships.patientRegistered) return false;
  const focusType = event.focus.split('/')[0] as string;
  const facts = accessFactsFor(relationships, organisation.odsCode);
  const decision = decideRecordAccess(organisation, 'TREAT', facts, focusType, 'r');
  if (!decision.allowed) return false;
  const stored = relationships.focus;
  return resourceVisible(
    organisation,
    decision,
    facts,
    stored?.resource ?? ({ resourceType: focusType } as Resource),
    stored?.contributor ?? event.contributor ?? '',
  );
}
