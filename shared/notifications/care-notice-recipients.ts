import type { Caller } from '../access/access-token.ts';
import type { CareNoticeKind } from './care-notice.ts';
import { mayBeTold } from './notice-visibility.ts';
import type { RecordEvent } from './record-event.ts';
import { organisationsWithCareContext, type RecordRelationships } from './record-relationships.ts';

/**
 * The organisations that get a notice of an event (CONTRACT §5), each once:
 * - a safeguarding concern: every organisation related to the patient — the registered practice and every
 *   organisation with a care context — other than the one that raised it;
 * - an admission or discharge: the registered practice and the related social care organisations, other
 *   than the one that recorded it;
 * - a referral: the organisation it was sent to (the event's `organisation`, a `performer` of the referral).
 * Each must also be allowed to know of the focus (see `mayBeTold`): a restricted Flag, or the patient's
 * objection to sharing, keeps another organisation's resource — and news of it — from them.
 */
export function careNoticeRecipients(
  kind: CareNoticeKind,
  relationships: RecordRelationships,
  event: RecordEvent,
  socialCare: readonly string[],
): string[] {
  const focusType = event.focus.split('/')[0] as string;
  if (kind === 'referral') {
    const receiver = event.organisation;
    return receiver &&
      receiver !== event.contributor &&
      mayBeTold(recipient(receiver, focusType), relationships, event)
      ? [receiver]
      : [];
  }
  const practice = relationships.registeredPractice ? [relationships.registeredPractice] : [];
  const withCareContext = organisationsWithCareContext(relationships);
  const related =
    kind === 'safeguarding' ? withCareContext : withCareContext.filter((ods) => socialCare.includes(ods));
  return [...new Set([...practice, ...related])].filter(
    (ods) => ods !== event.contributor && mayBeTold(recipient(ods, focusType), relationships, event),
  );
}

// Notices are decided for organisations, not clients: each is judged as a client with read access to the focus
// would be (no access rule reads the role).
function recipient(odsCode: string, focusType: string): Caller {
  return { clientId: 'shared-care-record', odsCode, role: 'community', scopes: [`system/${focusType}.r`] };
}
