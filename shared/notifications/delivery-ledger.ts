import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../aws/clients.ts';
import { DELIVERY_MARKER_TTL_SECONDS, subscriptionKeys as keys } from '../subscriptions/subscription-keys.ts';

/** What claiming an event's delivery to one subscription found. */
export type DeliveryClaim =
  | { outcome: 'claimed'; eventNumber: number }
  | { outcome: 'delivered' }
  | { outcome: 'busy' };

/**
 * Claims the delivery of one event to one subscription, with a conditional write on the (subscription,
 * eventId) marker: granted when no delivery of it succeeded and no other attempt holds an unexpired lease.
 * Duplicates — a republished event, a redelivered message — find it `delivered` (or `busy`), so each
 * subscriber gets each event once. The first claim numbers the event for the subscription.
 */
export async function claimDelivery(
  subscriptionId: string,
  eventId: string,
  leaseSeconds: number,
): Promise<DeliveryClaim> {
  const now = Date.now();
  let attributes: Record<string, unknown> | undefined;
  try {
    ({ Attributes: attributes } = await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { PK: keys.partition(subscriptionId), SK: keys.delivery(eventId) },
        UpdateExpression:
          'SET #state = :delivering, leaseUntil = :until, expiresAt = if_not_exists(expiresAt, :ttl)',
        ConditionExpression: 'attribute_not_exists(PK) OR (#state <> :delivered AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':delivering': 'delivering',
          ':delivered': 'delivered',
          ':until': now + leaseSeconds * 1000,
          ':now': now,
          ':ttl': Math.floor(now / 1000) + DELIVERY_MARKER_TTL_SECONDS,
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    ));
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    return e.Item?.state?.S === 'delivered' ? { outcome: 'delivered' } : { outcome: 'busy' };
  }
  const numbered = attributes?.eventNumber;
  if (typeof numbered === 'number') return { outcome: 'claimed', eventNumber: numbered };
  const { Attributes: status } = await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { PK: keys.partition(subscriptionId), SK: keys.status },
      UpdateExpression: 'ADD eventsSinceStart :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const eventNumber = Number(status?.eventsSinceStart);
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { PK: keys.partition(subscriptionId), SK: keys.delivery(eventId) },
      UpdateExpression: 'SET eventNumber = :n',
      ExpressionAttributeValues: { ':n': eventNumber },
    }),
  );
  return { outcome: 'claimed', eventNumber };
}

/** Records a delivery the endpoint accepted: the marker is final, and the subscription is active again. */
export async function recordDelivered(subscriptionId: string, eventId: string): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { PK: keys.partition(subscriptionId), SK: keys.delivery(eventId) },
      UpdateExpression: 'SET #state = :delivered, deliveredAt = :at REMOVE leaseUntil',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':delivered': 'delivered', ':at': new Date().toISOString() },
    }),
  );
  await updateStatus(subscriptionId, 'SET #status = :active, lastDelivered = :at ADD delivered :one', {
    ':active': 'active',
    ':at': new Date().toISOString(),
    ':one': 1,
  });
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
