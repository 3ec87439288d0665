import { subscriptionTopics } from '../subscriptions/subscription-topics.ts';
import type { FunctionName } from './functions.ts';
import { JOURNAL_PREFIX } from './table-design.ts';

/** The `source` of every event the service puts on its bus. */
export const EVENT_SOURCE = 'shared-care-record';

/**
 * An EventBridge event pattern, as AWS documents it (exact values, prefix, suffix, anything-but, numeric,
 * exists, equals-ignore-case, wildcard, `$or`). The stack gives it to a Rule; the sandbox bus matches it itself.
 */
export type EventPattern = { [field: string]: unknown };

/** One EventBridge rule: events matching `pattern` invoke the `target` function. */
export interface EventRuleDefinition {
  name: string;
  description: string;
  pattern: EventPattern;
  target: FunctionName;
}

/** The one event-rule table, read by the CDK stack and by the sandbox's event bus. */
export const eventRules: EventRuleDefinition[] = [
  {
    name: 'SubscriptionNotifications',
    description:
      'Every event a subscription topic names, to be matched to subscriptions and queued for delivery',
    pattern: { source: [EVENT_SOURCE], 'detail-type': subscriptionTopics.flatMap((t) => t.detailTypes) },
    target: 'subscription-matcher',
  },
  {
    name: 'SafeguardingNotices',
    description: 'A safeguarding concern raised: a Task for each other organisation related to the patient',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['Flag.SafeguardingRaised'] },
    target: 'safeguarding-notifier',
  },
  {
    name: 'AdmissionNotices',
    description: 'An admission or discharge: a Task for the registered practice and related social care',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['Encounter.Admitted', 'Encounter.Discharged'] },
    target: 'admission-notifier',
  },
  {
    name: 'ReferralNotices',
    description: 'A referral received: a Task for the organisation it is sent to',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['ServiceRequest.Received'] },
    target: 'referral-notifier',
  },
];

/** A function fed by the record table's stream, as a Lambda event source mapping. */
export interface StreamConsumerDefinition {
  target: FunctionName;
  batchSize: number;
  /** Attempts before a failing batch goes to the on-failure queue (the outbox retries until records age out). */
  retryAttempts: number;
  bisectBatchOnError: boolean;
  /** A Lambda filter pattern (EventBridge syntax) over the stream record; unmatched records never reach it. */
  filterPattern: EventPattern;
}

/** The stream consumers, read by the CDK stack and by the sandbox's stream poller. */
export const streamConsumers: StreamConsumerDefinition[] = [
  {
    target: 'outbox-publisher',
    batchSize: 100,
    retryAttempts: 10_000,
    bisectBatchOnError: true,
    // Only new journal entries that carry events: the outbox.
    filterPattern: {
      eventName: ['INSERT'],
      dynamodb: { NewImage: { SK: { S: [{ prefix: JOURNAL_PREFIX }] }, hasOutbox: { BOOL: [true] } } },
    },
  },
];
