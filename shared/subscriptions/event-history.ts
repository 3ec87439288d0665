import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../aws/clients.ts';
import { subscriptionKeys as keys } from './subscription-keys.ts';

/** How far back `$events` reaches (CONTRACT §5): a receiver down for up to a week can catch up. */
export const EVENT_HISTORY_DAYS = 7;
/** Events one `$events` answer carries at most; a `next` link asks for the rest. */
export const EVENTS_PAGE_SIZE = 100;

/** One event numbered for a subscription, as its delivery marker keeps it. */
export interface PastEvent {
  eventNumber: number;
  /** `Encounter/123`. */
  focus: string;
  occurred: string;
}

/**
 * The events numbered for a subscription in the last `EVENT_HISTORY_DAYS` days, from `since` to `until`
 * (event numbers, inclusive), in number order: delivered, failed or dead-lettered alike. One Query over the
 * subscription's own partition, which holds one delivery marker per event.
 */
export async function eventHistory(
  subscriptionId: string,
  range: { since?: number; until?: number },
  now = Date.now(),
): Promise<{ events: PastEvent[]; more: boolean }> {
  const oldest = new Date(now - EVENT_HISTORY_DAYS * 24 * 60 * 60 * 1000).toISOString();
  const found: PastEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :delivery)',
        FilterExpression: 'attribute_exists(focus) AND occurred >= :oldest',
        ExpressionAttributeValues: {
          ':pk': keys.partition(subscriptionId),
          ':delivery': keys.delivery(''),
          ':oldest': oldest,
        },
        ProjectionExpression: 'eventNumber, focus, occurred',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const eventNumber = Number(item.eventNumber);
      if (range.since !== undefined && eventNumber < range.since) continue;
      if (range.until !== undefined && eventNumber > range.until) continue;
      found.push({ eventNumber, focus: String(item.focus), occurred: String(item.occurred) });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  found.sort((a, b) => a.eventNumber - b.eventNumber);
  return { events: found.slice(0, EVENTS_PAGE_SIZE), more: found.length > EVENTS_PAGE_SIZE };
}
