import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { journalRecorded } from '../record/journal-entry.ts';
import { EVENT_SOURCE } from '../service/events.ts';

/**
 * The EventBridge entries a stream record of a new journal entry asks to publish: one per outbox event,
 * with the detail as written (its `eventId` stable across retries) and the journal entry's time.
 */
export function outboxEntries(record: DynamoDBRecord, eventBusName: string): PutEventsRequestEntry[] {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return [];
  const item = unmarshall(image as Record<string, AttributeValue>);
  const outbox = (item.outbox ?? []) as { detailType: string; detail: string }[];
  return outbox.map((e) => ({
    EventBusName: eventBusName,
    Source: EVENT_SOURCE,
    DetailType: e.detailType,
    Detail: e.detail,
    Time: new Date(journalRecorded(item)),
  }));
}
