import { currentKey, ownPartition } from '../service/table-design.ts';

/**
 * Where subscriptions sit in the one table, outside every patient's partition:
 * - `SUBSCRIPTION#<id>`: the Subscription (`Subscription#<id>`), its delivery state (`_status`) and one
 *   marker per event delivered or being delivered (`_delivery#<eventId>`, expiring).
 * - `TOPIC#<topic>#<filter>`: one index item per subscription, so the subscriptions an event matches are
 *   found by key, not by scanning.
 * - `SUBSCRIBER#<ODS>`: one item per subscription an organisation made, to list its own.
 */
export const subscriptionKeys = {
  partition: (id: string) => ownPartition('Subscription', id),
  current: (id: string) => currentKey('Subscription', id),
  status: '_status',
  delivery: (eventId: string) => `_delivery#${eventId}`,
  topicIndex: (topic: string, filterKey: string) => `TOPIC#${topic}#${filterKey}`,
  ownerIndex: (odsCode: string) => `SUBSCRIBER#${odsCode}`,
} as const;

/** How long a delivery marker outlives its event: longer than a message can wait in a queue or its DLQ. */
export const DELIVERY_MARKER_TTL_SECONDS = 30 * 24 * 60 * 60;
