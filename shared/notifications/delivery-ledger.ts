import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../aws/clients.ts';
import { DELIVERY_MARKER_TTL_SECONDS, subscriptionKeys as keys } from '../subscriptions/subscription-keys.ts';

/**
 * What the marker keeps of the event, so `$events` can give a receiver the notifications it missed: references
 * and a time only, as the notification itself carries.
 */
export interface RetainedEvent {
  /** `Encounter/123`. */
  focus: string;
  occurred: string;
}

/** What claiming an event's delivery to one subscription found. */
export type DeliveryClaim =
  | { outcome: 'claimed'; eventNumber: number }
  | { outcome: 'delivered' }
  /** Another attempt holds the lease: try again once it has run out. */
  | { outcome: 'busy'; retryAfterSeconds: number };

/**
 * Claims the delivery of one event to one subscription, with a conditional write on the (subscription,
 * eventId) marker: granted when no delivery of it succeeded and no other attempt holds an unexpired lease.
 * Duplicates — a republished event, a redelivered message — find it `delivered` (or `busy`), so each
 * subscriber gets each event once. The first claim numbers the event for the subscription, and retries keep
 * that number.
 */
export async function claimDelivery(
  subscriptionId: string,
  eventId: string,
  leaseSeconds: number,
  event?: RetainedEvent,
): Promise<DeliveryClaim> {
  const Key = { PK: keys.partition(subscriptionId), SK: keys.delivery(eventId) };
  const { Item: marker } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key, ConsistentRead: true }),
  );
  if (marker?.state === 'delivered') return { outcome: 'delivered' };
  const now = Date.now();
  // A new event takes the next number first, so the claim writes number and lease together. Two copies of one
  // event claimed at the same instant can leave a number unused; the loser's claim still fails.
  const eventNumber =
    typeof marker?.eventNumber === 'number' ? marker.eventNumber : await nextEventNumber(subscriptionId);
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key,
        UpdateExpression:
          'SET #state = :delivering, leaseUntil = :until, eventNumber = if_not_exists(eventNumber, :n), expiresAt = if_not_exists(expiresAt, :ttl)' +
          (event
            ? ', focus = if_not_exists(focus, :focus), occurred = if_not_exists(occurred, :occurred)'
            : ''),
        ConditionExpression: marker
          ? '#state <> :delivered AND leaseUntil < :now'
          : 'attribute_not_exists(PK)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':delivering': 'delivering',
          ':until': now + leaseSeconds * 1000,
          ':n': eventNumber,
          ':ttl': Math.floor(now / 1000) + DELIVERY_MARKER_TTL_SECONDS,
          ...(marker ? { ':delivered': 'delivered', ':now': now } : {}),
          ...(event ? { ':focus': event.focus, ':occurred': event.occurred } : {}),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    if (e.Item?.state?.S === 'delivered') return { outcome: 'delivered' };
    const leaseUntil = Number(e.Item?.leaseUntil?.N ?? now + leaseSeconds * 1000);
    return { outcome: 'busy', retryAfterSeconds: Math.max(1, Math.ceil((leaseUntil - now) / 1000)) };
  }
  return { outcome: 'claimed', eventNumber };
}

async function nextEventNumber(subscriptionId: string): Promise<number> {
  const { Attributes } = await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { PK: keys.partition(subscriptionId), SK: keys.status },
      UpdateExpression: 'ADD eventsSinceStart :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.eventsSinceStart);
}

/**
 * Records a delivery the endpoint accepted, in one transaction: the marker is final, and the subscription is
 * active again with one more delivered. A subscription deleted meanwhile stays `off`: only its marker is written.
 */
export async function recordDelivered(subscriptionId: string, eventId: string): Promise<void> {
  const now = new Date().toISOString();
  const marker = {
    TableName: tableName(),
    Key: { PK: keys.partition(subscriptionId), SK: keys.delivery(eventId) },
    UpdateExpression: 'SET #state = :delivered, deliveredAt = :at REMOVE leaseUntil',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: { ':delivered': 'delivered', ':at': now },
  };
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          { Update: marker },
          {
            Update: {
              TableName: tableName(),
              Key: { PK: keys.partition(subscriptionId), SK: keys.status },
              UpdateExpression: 'SET #status = :active, lastDelivered = :at ADD delivered :one',
              ConditionExpression: 'attribute_not_exists(#status) OR #status <> :off',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':active': 'active', ':at': now, ':one': 1, ':off': 'off' },
            },
          },
        ],
      }),
    );
  } catch (e) {
    if (!(e instanceof TransactionCanceledException)) throw e;
    await documentClient.send(new UpdateCommand(marker));
  }
}

/**
 * Records a failed attempt: the lease is given up so the retry may claim at once, the subscription shows
 * `error` with the reason, and a final attempt counts as dead-lettered.
 */
export async function recordFailed(
  subscriptionId: string,
  eventId: string,
  error: string,
  final: boolean,
): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { PK: keys.partition(subscriptionId), SK: keys.delivery(eventId) },
      UpdateExpression: 'SET leaseUntil = :zero, lastError = :error',
      ExpressionAttributeValues: { ':zero': 0, ':error': error },
    }),
  );
  await updateStatus(
    subscriptionId,
    `SET #status = :error, lastError = :reason, lastErrorAt = :at${final ? ' ADD deadLettered :one' : ''}`,
    {
      ':error': 'error',
      ':reason': error,
      ':at': new Date().toISOString(),
      ...(final ? { ':one': 1 } : {}),
    },
  );
}

// A deleted subscription stays `off`, whatever deliveries already under way find.
async function updateStatus(subscriptionId: string, expression: string, values: Record<string, unknown>) {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { PK: keys.partition(subscriptionId), SK: keys.status },
        UpdateExpression: expression,
        ConditionExpression: 'attribute_not_exists(#status) OR #status <> :off',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...values, ':off': 'off' },
      }),
    );
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
}
