import { type SubscriptionIndexEntry, subscriptionsMatching } from '../subscriptions/subscription-store.ts';
import { topicForDetailType } from '../subscriptions/subscription-topics.ts';
import type { DeliveryMessage } from './delivery-message.ts';
import { mayBeTold } from './notice-visibility.ts';
import type { RecordEvent } from './record-event.ts';
import { readRecordRelationships } from './record-relationships.ts';

/**
 * The deliveries one event calls for: the subscriptions to its topic filtered on its patient, and those of the
 * patient's registered practice — each found by key — kept only while the subscriber's organisation may still
 * be told of it (relationship, scopes, labels, objection) and the subscription has not ended.
 */
export async function deliveriesFor(event: RecordEvent, now = Date.now()): Promise<DeliveryMessage[]> {
  const topic = topicForDetailType(event.detailType);
  if (!topic) return [];
  const relationships = await readRecordRelationships(event.nhsNumber, event.focus);
  const practice = relationships.registeredPractice;
  const [byPatient, byPractice] = await Promise.all([
    subscriptionsMatching(topic.code, { kind: 'patient', nhsNumber: event.nhsNumber }),
    practice ? subscriptionsMatching(topic.code, { kind: 'general-practitioner', odsCode: practice }) : [],
  ]);
  const current = (s: SubscriptionIndexEntry) => !s.end || Date.parse(s.end) > now;
  const unique = new Map([...byPatient, ...byPractice].map((s) => [s.id, s]));
  return [...unique.values()]
    .filter((s) => current(s) && mayBeTold(s.owner, relationships, event))
    .map((s) => ({
      subscriptionId: s.id,
      eventId: event.eventId,
      detailType: event.detailType,
      focus: event.focus,
      patient: `Patient/${event.nhsNumber}`,
      occurred: event.occurred,
    }));
}
