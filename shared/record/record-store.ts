import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Resource } from '@medplum/fhirtypes';
import { documentClient, tableName } from '../aws/clients.ts';
import { PreconditionFailedError } from '../fhir/operation-outcome.ts';
import { currentKey, historyKey, ownPartition, patientPartition, tableDesign } from './table-design.ts';

/** A version of a resource as the table holds it. */
export interface StoredResource {
  partition: string;
  resource: Resource;
  versionId: number;
  lastUpdated: string;
  /** ODS code of the organisation that contributed the resource. */
  contributor: string;
  deleted: boolean;
}

/** One resource write inside a commit: the new version, and the version it replaces (for updates). */
export interface ResourceWrite {
  next: StoredResource;
  /** The version read before writing; the write lands only if it is still current. Absent for a create. */
  previous?: StoredResource;
}

type Item = Record<string, unknown>;

/** The partition a resource lives in: its patient's, or (for Patient and non-patient types) its own. */
export function partitionOf(resourceType: string, id: string, patientNhsNumber?: string): string {
  if (resourceType === 'Patient') return patientPartition(id);
  return patientNhsNumber ? patientPartition(patientNhsNumber) : ownPartition(resourceType, id);
}

/**
 * Reads the current version of a resource (deleted ones included, so callers can answer 410).
 * One strongly consistent GetItem when the partition is known; otherwise the by-id index finds it first.
 */
export async function readCurrent(
  resourceType: string,
  id: string,
  partition?: string,
): Promise<StoredResource | undefined> {
  const pk = partition ?? (await findPartition(resourceType, id));
  if (!pk) return undefined;
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: { PK: pk, SK: currentKey(resourceType, id) },
      ConsistentRead: true,
    }),
  );
  return Item ? fromItem(Item) : undefined;
}

async function findPartition(resourceType: string, id: string): Promise<string | undefined> {
  const { Items } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: tableDesign.byIdIndex.name,
      KeyConditionExpression: 'GSI1PK = :rid',
      ExpressionAttributeValues: { ':rid': `${resourceType}/${id}` },
      Limit: 1,
    }),
  );
  return Items?.[0]?.PK as string | undefined;
}

/**
 * Writes resources in one TransactWriteItems: for each, the new current version (conditional on the version
 * read, so no update is ever lost) and, for an update, the replaced version into history. Either every item
 * lands or none does. `extraItems` (audit, outbox) ride in the same transaction.
 * @throws PreconditionFailedError when another write got there first.
 */
export async function commit(writes: ResourceWrite[], extraItems: Item[] = []): Promise<void> {
  const TableName = tableName();
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
  for (const { next, previous } of writes) {
    items.push({
      Put: {
        TableName,
        Item: toCurrentItem(next),
        ...(previous
          ? {
              ConditionExpression: 'versionId = :read',
              ExpressionAttributeValues: { ':read': previous.versionId },
            }
          : { ConditionExpression: 'attribute_not_exists(PK)' }),
      },
    });
    if (previous) items.push({ Put: { TableName, Item: toHistoryItem(previous) } });
  }
  for (const Item of extraItems) items.push({ Put: { TableName, Item } });
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (e) {
    if (
      e instanceof TransactionCanceledException &&
      e.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')
    ) {
      throw new PreconditionFailedError(
        'The resource was changed by someone else since it was read: read it again',
      );
    }
    throw e;
  }
}

function toCurrentItem(v: StoredResource): Item {
  const { resourceType, id } = v.resource as Resource & { id: string };
  return {
    PK: v.partition,
    SK: currentKey(resourceType, id),
    GSI1PK: `${resourceType}/${id}`,
    ...attributes(v),
  };
}

function toHistoryItem(v: StoredResource): Item {
  const { resourceType, id } = v.resource as Resource & { id: string };
  return { PK: v.partition, SK: historyKey(resourceType, id, v.versionId), ...attributes(v) };
}

// The resource is kept as a JSON string: cheaper to write and read than a nested map, and never near the
// 32-level nesting limit.
function attributes(v: StoredResource): Item {
  return {
    resourceType: v.resource.resourceType,
    resource: JSON.stringify(v.resource),
    versionId: v.versionId,
    lastUpdated: v.lastUpdated,
    contributor: v.contributor,
    deleted: v.deleted,
  };
}

function fromItem(item: Item): StoredResource {
  return {
    partition: item.PK as string,
    resource: JSON.parse(item.resource as string) as Resource,
    versionId: item.versionId as number,
    lastUpdated: item.lastUpdated as string,
    contributor: item.contributor as string,
    deleted: item.deleted === true,
  };
}
