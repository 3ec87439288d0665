import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Patient, Resource } from '@medplum/fhirtypes';
import { documentClient, tableName } from '../aws/clients.ts';
import {
  BadRequestError,
  PayloadTooLargeError,
  PreconditionFailedError,
  UnprocessableEntityError,
} from '../fhir/operation-outcome.ts';
import { resourceType as resourceTypeDefinition } from '../service/resource-types.ts';
import {
  currentKey,
  historyKey,
  JOURNAL_PREFIX,
  ownPartition,
  patientPartition,
  tableDesign,
} from '../service/table-design.ts';
import { auditEventOf, journalRecorded } from './journal-entry.ts';
import { patientOfRecordId } from './record-id.ts';
import { registeredPracticeOf } from './registered-practice.ts';

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
  if (resourceTypeDefinition(resourceType)?.identity === 'nhs-number') return patientPartition(id);
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

/** The partition holding a resource, from the by-id index (one Query). */
export async function findPartition(resourceType: string, id: string): Promise<string | undefined> {
  // An id made by newRecordId names its partition: no index read, so a write is seen at once (read-your-writes).
  const patient = await patientOfRecordId(id);
  if (patient) return patientPartition(patient);
  const reference = `${resourceType}/${id}`;
  const known = partitions.get(reference);
  if (known) return known;
  const { Items } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: tableDesign.byIdIndex.name,
      KeyConditionExpression: 'GSI1PK = :rid',
      ExpressionAttributeValues: { ':rid': reference },
      Limit: 1,
    }),
  );
  const partition = Items?.[0]?.PK as string | undefined;
  if (partition) {
    if (partitions.size >= PARTITIONS_KEPT) partitions.delete(partitions.keys().next().value as string);
    partitions.set(reference, partition);
  }
  return partition;
}

// A resource never changes partition (updates may not move it to another patient; deletion is a new version),
// so what the index said stays true for the life of a warm container: repeat reads skip the Query.
const PARTITIONS_KEPT = 10_000;
const partitions = new Map<string, string>();

/** What else rides in a commit's transaction besides the resource writes. */
export interface CommitExtras {
  /** NHS numbers whose Patient must be registered (present, not deleted) when the transaction lands. */
  registeredPatients?: string[];
  /** Further items to put (journal entries: audit and outbox; contributor markers). */
  items?: Item[];
  /** Atomic updates of access facts (the set of objecting Consents, organisations' care contexts). */
  updates?: {
    Key: { PK: string; SK: string };
    UpdateExpression: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Item;
  }[];
}

/**
 * Writes resources in one TransactWriteItems: for each, the new current version (conditional on the version
 * read, so no update is ever lost) and, for an update, the replaced version into history; with them, a check
 * that each patient written to is registered, and the journal entries. Either every item lands or none does.
 * @throws PreconditionFailedError when another write got there first; UnprocessableEntityError when a patient
 * is not registered.
 */
export async function commit(writes: ResourceWrite[], extras: CommitExtras = {}): Promise<void> {
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
  const firstPatientCheck = items.length;
  for (const nhs of new Set(extras.registeredPatients ?? [])) {
    items.push({
      ConditionCheck: {
        TableName,
        Key: { PK: patientPartition(nhs), SK: currentKey('Patient', nhs) },
        ConditionExpression: 'attribute_exists(PK) AND deleted = :no',
        ExpressionAttributeValues: { ':no': false },
      },
    });
  }
  const firstExtra = items.length;
  for (const Item of extras.items ?? []) items.push({ Put: { TableName, Item } });
  for (const update of extras.updates ?? []) items.push({ Update: { TableName, ...update } });
  assertEachItemOnce(items);
  assertItemsFit(items);
  if (items.length > MAX_TRANSACTION_ITEMS) {
    throw new PayloadTooLargeError(
      `This change needs ${items.length} writes, more than the ${MAX_TRANSACTION_ITEMS} one atomic transaction can hold: split it`,
    );
  }
  try {
    await sendRetryingConflicts(items);
  } catch (e) {
    if (!(e instanceof TransactionCanceledException)) throw e;
    const failed = (e.CancellationReasons ?? []).findIndex((r) => r.Code === 'ConditionalCheckFailed');
    if (failed >= firstPatientCheck && failed < firstExtra) {
      throw new UnprocessableEntityError('The patient is not registered: PUT the Patient first', [
        {
          code: 'processing',
          diagnostics: 'The referenced patient is not registered in the shared care record',
        },
      ]);
    }
    if (failed >= 0) {
      throw new PreconditionFailedError(
        'The resource was changed by someone else since it was read: read it again',
      );
    }
    throw e;
  }
}

/**
 * Sends a transaction, again when DynamoDB cancels it only because another transaction was changing one of its
 * items at the same moment (`TransactionConflict`): concurrent writes to one record share its access items (an
 * organisation's relationship facts, the objection set). Every resource write is conditional on the version
 * read, so sending the same transaction again can never lose an update.
 */
async function sendRetryingConflicts(
  items: NonNullable<TransactWriteCommandInput['TransactItems']>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (e) {
      const conflict =
        e instanceof TransactionCanceledException &&
        (e.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict') &&
        !(e.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
      if (!conflict || attempt >= CONFLICT_ATTEMPTS) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}
const CONFLICT_ATTEMPTS = 8;

/**
 * DynamoDB takes one operation per item in a transaction; a request that would change one thing twice (two
 * entries of a Bundle on the same resource) is the caller's mistake, answered 400 rather than failing at AWS.
 */
function assertEachItemOnce(items: NonNullable<TransactWriteCommandInput['TransactItems']>): void {
  const seen = new Set<string>();
  for (const op of items) {
    const key = op.Put?.Item ?? op.ConditionCheck?.Key ?? op.Update?.Key ?? op.Delete?.Key;
    const id = `${key?.PK}|${key?.SK}`;
    if (seen.has(id)) {
      throw new BadRequestError(
        'One request may change each resource only once: split it into separate requests',
        'invalid',
      );
    }
    seen.add(id);
  }
}

/** DynamoDB's limit on the size of one item. */
export const MAX_ITEM_BYTES = 400 * 1024;

/**
 * A resource too large for one item is the caller's to split, answered 413 before DynamoDB refuses the whole
 * transaction (a 500 after all the work). Sized as DynamoDB sizes items: each attribute's name and value in
 * UTF-8, numbers at their largest (21 bytes), anything nested at its JSON length, which overstates it.
 */
function assertItemsFit(items: NonNullable<TransactWriteCommandInput['TransactItems']>): void {
  for (const op of items) {
    if (!op.Put?.Item) continue;
    let bytes = 0;
    for (const [name, value] of Object.entries(op.Put.Item)) {
      bytes += Buffer.byteLength(name, 'utf8');
      if (typeof value === 'string') bytes += Buffer.byteLength(value, 'utf8');
      else if (typeof value === 'number') bytes += 21;
      else if (typeof value === 'boolean') bytes += 1;
      else bytes += Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
    }
    if (bytes > MAX_ITEM_BYTES) {
      throw new PayloadTooLargeError(
        `The resource is too large to store (about ${Math.ceil(bytes / 1024)} KB; at most ${MAX_ITEM_BYTES / 1024} KB): put large content in a document (a DocumentReference with an attachment) and reference it`,
      );
    }
  }
}

/** DynamoDB's limit on the items of one TransactWriteItems. */
export const MAX_TRANSACTION_ITEMS = 100;

/** A version of a resource: the current item when it is that version, else its history item. */
export async function readVersion(
  resourceType: string,
  id: string,
  versionId: number,
  partition?: string,
): Promise<StoredResource | undefined> {
  const current = await readCurrent(resourceType, id, partition);
  if (!current || current.versionId === versionId) return current;
  if (versionId > current.versionId || versionId < 1) return undefined;
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: { PK: current.partition, SK: historyKey(resourceType, id, versionId) },
      ConsistentRead: true,
    }),
  );
  return Item ? fromItem(Item) : undefined;
}

/** Every version of a resource, newest first (current item, then history). */
export async function readAllVersions(current: StoredResource): Promise<StoredResource[]> {
  const { resourceType, id } = current.resource as Resource & { id: string };
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': current.partition, ':prefix': `_history#${resourceType}#${id}#` },
    ScanIndexForward: false,
    ConsistentRead: true,
  });
  return [current, ...items.map(fromItem)];
}

/** The current resources of one type in a partition (deleted ones left out): what a search runs over. */
export async function readCurrentOfType(partition: string, resourceType: string): Promise<StoredResource[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    FilterExpression: 'deleted = :no',
    ExpressionAttributeValues: { ':pk': partition, ':prefix': `${resourceType}#`, ':no': false },
    ConsistentRead: true,
  });
  return items.map(fromItem);
}

/**
 * One page of a patient's current resources, in key order (type, then id): the joined-up record is one Query
 * a page. Current items sort before `_history#` and `_journal#` items, since `_` follows the capital letters.
 */
export async function readRecordPage(
  partition: string,
  limit: number,
  startAfter?: string,
): Promise<{ resources: StoredResource[]; lastKey?: string }> {
  const { Items = [], LastEvaluatedKey } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND SK < :to',
      ExpressionAttributeValues: { ':pk': partition, ':to': '_' },
      ExclusiveStartKey: startAfter ? { PK: partition, SK: startAfter } : undefined,
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return { resources: Items.map(fromItem), lastKey: LastEvaluatedKey?.SK as string | undefined };
}

/** A patient's audit trail: the AuditEvents of its journal entries, oldest first. */
export async function readAuditTrail(
  partition: string,
): Promise<{ resource: Resource; lastUpdated: string }[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': partition, ':prefix': JOURNAL_PREFIX },
    ConsistentRead: true,
  });
  return items.map((i) => ({ resource: auditEventOf(i), lastUpdated: journalRecorded(i) }));
}

async function queryAll(input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await documentClient.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** The table item of a resource's current version (exported for the benchmark's bulk loader). */
export function toCurrentItem(v: StoredResource): Item {
  const { resourceType, id } = v.resource as Resource & { id: string };
  const practice = resourceType === 'Patient' ? registeredPracticeOf(v.resource as Patient) : undefined;
  return {
    PK: v.partition,
    SK: currentKey(resourceType, id),
    GSI1PK: `${resourceType}/${id}`,
    ...attributes(v),
    ...(practice && !v.deleted ? { registeredPractice: practice } : {}),
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

/** A stored version from its table item. */
export function fromItem(item: Item): StoredResource {
  return {
    partition: item.PK as string,
    resource: JSON.parse(item.resource as string) as Resource,
    versionId: item.versionId as number,
    lastUpdated: item.lastUpdated as string,
    contributor: item.contributor as string,
    deleted: item.deleted === true,
  };
}
