import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Caller } from '../access/access-token.ts';
import { documentClient, tableName } from '../aws/clients.ts';
import { ServiceUnavailableError } from '../fhir/operation-outcome.ts';
import type { BackportSubscription, PayloadContent } from './backport.ts';
import { type DeliveryState, deliveryStateFromItem } from './delivery-state.ts';
import { filterKey, type SubscriptionFilter } from './filter-criteria.ts';
import { subscriptionKeys as keys } from './subscription-keys.ts';
import type { ChannelHeader } from './subscription-request.ts';

/** A subscription as the service keeps it: the resource a supplier sees, and what delivery needs. */
export interface StoredSubscription {
  id: string;
  /** The client and organisation that made it: notifications go only where its access would reach. */
  owner: Caller;
  /** The FHIR base URL the supplier subscribed through: notifications refer to resources under it. */
  fhirBase: string;
  topic: string;
  filter: SubscriptionFilter;
  endpoint: string;
  /** A sandbox endpoint (`http://localhost`), exempt from the public-address checks. */
  local: boolean;
  headers: ChannelHeader[];
  content: PayloadContent;
  /** The signing secret; kept apart from the resource, so no read can return it. */
  secret?: string;
  end?: string;
  resource: BackportSubscription;
  deleted: boolean;
}

/** What matching an event needs of a subscription, copied onto its index item. */
export interface SubscriptionIndexEntry {
  id: string;
  owner: Caller;
  end?: string;
}

type Item = Record<string, unknown>;

/**
 * Stores a new subscription in one transaction: the subscription, its delivery state, its topic index item
 * and its owner index item.
 */
export async function createSubscription(subscription: StoredSubscription): Promise<void> {
  const TableName = tableName();
  const { id, owner, topic, filter, end } = subscription;
  const PK = keys.partition(id);
  const index: SubscriptionIndexEntry = { id, owner, ...(end ? { end } : {}) };
  await documentClient.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName,
            Item: { PK, SK: keys.current(id), ...subscriptionAttributes(subscription) },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        { Put: { TableName, Item: { PK, SK: keys.status, status: 'active' } } },
        {
          Put: {
            TableName,
            Item: { PK: keys.topicIndex(topic, filterKey(filter)), SK: id, ...index },
          },
        },
        { Put: { TableName, Item: { PK: keys.ownerIndex(owner.odsCode), SK: id, topic } } },
      ],
    }),
  );
}

/** A subscription and its delivery state (deleted ones included, so callers can answer 410), or undefined. */
export async function readSubscription(
  id: string,
): Promise<{ subscription: StoredSubscription; state: DeliveryState } | undefined> {
  const PK = keys.partition(id);
  const items = await batchGet([
    { PK, SK: keys.current(id) },
    { PK, SK: keys.status },
  ]);
  const current = items.get(`${PK}|${keys.current(id)}`);
  if (!current) return undefined;
  return { subscription: fromItem(current), state: deliveryStateFromItem(items.get(`${PK}|${keys.status}`)) };
}

/**
 * Marks a subscription deleted and removes its index items in one transaction, so no event matches it
 * afterwards; notifications already queued for it are dropped by the delivery worker.
 * @returns false when it was already deleted
 */
export async function deleteSubscription(subscription: StoredSubscription): Promise<boolean> {
  const TableName = tableName();
  const { id, owner, topic, filter } = subscription;
  const PK = keys.partition(id);
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName,
              Key: { PK, SK: keys.current(id) },
              UpdateExpression: 'SET deleted = :yes, deletedAt = :now',
              ConditionExpression: 'deleted = :no',
              ExpressionAttributeValues: { ':yes': true, ':no': false, ':now': new Date().toISOString() },
            },
          },
          {
            Update: {
              TableName,
              Key: { PK, SK: keys.status },
              UpdateExpression: 'SET #status = :off',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':off': 'off' },
            },
          },
          { Delete: { TableName, Key: { PK: keys.topicIndex(topic, filterKey(filter)), SK: id } } },
          { Delete: { TableName, Key: { PK: keys.ownerIndex(owner.odsCode), SK: id } } },
        ],
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof TransactionCanceledException) return false;
    throw e;
  }
}

/** The subscriptions to a topic with exactly this filter: one Query on their index partition. */
export async function subscriptionsMatching(
  topic: string,
  filter: SubscriptionFilter,
): Promise<SubscriptionIndexEntry[]> {
  const entries: SubscriptionIndexEntry[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.topicIndex(topic, filterKey(filter)) },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      entries.push({
        id: item.id as string,
        owner: item.owner as Caller,
        ...(item.end ? { end: item.end as string } : {}),
      });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return entries;
}

/** Every live subscription an organisation made, with its delivery state. */
export async function subscriptionsOf(
  odsCode: string,
): Promise<{ subscription: StoredSubscription; state: DeliveryState }[]> {
  const ids: string[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.ownerIndex(odsCode) },
        ExclusiveStartKey,
      }),
    );
    ids.push(...(page.Items ?? []).map((i) => i.SK as string));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const items = await batchGet(
    ids.flatMap((id) => [
      { PK: keys.partition(id), SK: keys.current(id) },
      { PK: keys.partition(id), SK: keys.status },
    ]),
  );
  return ids.flatMap((id) => {
    const current = items.get(`${keys.partition(id)}|${keys.current(id)}`);
    if (!current || current.deleted === true) return [];
    return [
      {
        subscription: fromItem(current),
        state: deliveryStateFromItem(items.get(`${keys.partition(id)}|${keys.status}`)),
      },
    ];
  });
}

async function batchGet(allKeys: { PK: string; SK: string }[]): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  for (let i = 0; i < allKeys.length; i += 100) {
    let pending = allKeys.slice(i, i + 100);
    for (let attempt = 0; pending.length && attempt < 5; attempt++) {
      const { Responses, UnprocessedKeys } = await documentClient.send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of Responses?.[tableName()] ?? []) found.set(`${item.PK}|${item.SK}`, item);
      pending = (UnprocessedKeys?.[tableName()]?.Keys ?? []) as { PK: string; SK: string }[];
    }
    if (pending.length) throw new ServiceUnavailableError('The subscription store is busy: retry shortly');
  }
  return found;
}

function subscriptionAttributes(s: StoredSubscription): Item {
  return {
    resourceType: 'Subscription',
    resource: JSON.stringify(s.resource),
    id: s.id,
    owner: s.owner,
    fhirBase: s.fhirBase,
    topic: s.topic,
    filter: s.filter,
    endpoint: s.endpoint,
    local: s.local,
    headers: s.headers,
    content: s.content,
    ...(s.secret ? { secret: s.secret } : {}),
    ...(s.end ? { end: s.end } : {}),
    deleted: s.deleted,
  };
}

function fromItem(item: Item): StoredSubscription {
  return {
    id: item.id as string,
    owner: item.owner as Caller,
    fhirBase: item.fhirBase as string,
    topic: item.topic as string,
    filter: item.filter as SubscriptionFilter,
    endpoint: item.endpoint as string,
    local: item.local === true,
    headers: (item.headers ?? []) as ChannelHeader[],
    content: item.content as PayloadContent,
    ...(item.secret ? { secret: item.secret as string } : {}),
    ...(item.end ? { end: item.end as string } : {}),
    resource: JSON.parse(item.resource as string) as BackportSubscription,
    deleted: item.deleted === true,
  };
}
