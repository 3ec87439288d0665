import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CareContexts } from '../access/care-context.ts';
import {
  holdsCareContext,
  type RelationshipClock,
  relationshipClock,
} from '../access/legitimate-relationship.ts';
import type { RecordAccessFacts } from '../access/record-access-facts.ts';
import { documentClient, tableName } from '../aws/clients.ts';
import { careContextsOf } from '../record/access-facts-store.ts';
import { fromItem, type StoredResource } from '../record/record-store.ts';
import { currentKey, OBJECTION_KEY, patientPartition, RELATIONSHIP_PREFIX } from '../service/table-design.ts';

/**
 * Who is related to one patient's record, and the resource an event is about: what deciding who may be told
 * of the event needs, for every organisation at once.
 */
export interface RecordRelationships {
  patientRegistered: boolean;
  /** ODS code of the registered GP practice. */
  registeredPractice?: string;
  /** Each organisation's care contexts for the patient, by ODS code. */
  careContexts: Record<string, CareContexts>;
  sharingObjection: boolean;
  /** The event's focus as the record holds it now (labels and contributor), when it is there. */
  focus?: StoredResource;
}

// Both the relationship items and the objection set sort under this prefix of the patient's partition.
const ACCESS_PREFIX = '_access#';

/** The access facts of one organisation, from the record's relationships. */
export function accessFactsFor(relationships: RecordRelationships, odsCode: string): RecordAccessFacts {
  return {
    patientRegistered: relationships.patientRegistered,
    registeredPractice: relationships.registeredPractice,
    careContexts: relationships.careContexts[odsCode] ?? {},
    sharingObjection: relationships.sharingObjection,
  };
}

/** The organisations other than the registered practice that have a relationship with the patient now: a care context. */
export function organisationsWithCareContext(
  relationships: RecordRelationships,
  clock: RelationshipClock = relationshipClock(),
): string[] {
  return Object.entries(relationships.careContexts)
    .filter(([, contexts]) => holdsCareContext(contexts, clock))
    .map(([ods]) => ods);
}

/**
 * Reads a record's relationships in two parallel round trips: one Query of the partition's access items, and
 * one BatchGetItem of the Patient with the focus (`Flag/123`). Unprocessed keys throw, so the event is retried.
 */
export async function readRecordRelationships(
  nhsNumber: string,
  focus?: string,
): Promise<RecordRelationships> {
  const PK = patientPartition(nhsNumber);
  const [type, id] = (focus ?? '').split('/');
  const patientKey = { PK, SK: currentKey('Patient', nhsNumber) };
  const focusKey = type && id && type !== 'Patient' ? { PK, SK: currentKey(type, id) } : undefined;
  const [access, items] = await Promise.all([
    readAccessItems(PK),
    documentClient.send(
      new BatchGetCommand({
        RequestItems: {
          [tableName()]: { Keys: focusKey ? [patientKey, focusKey] : [patientKey], ConsistentRead: true },
        },
      }),
    ),
  ]);
  const found = items.Responses?.[tableName()] ?? [];
  if (Object.keys(items.UnprocessedKeys ?? {}).length) throw new Error('The record store is busy: retry');
  const patientItem = found.find((i) => i.SK === patientKey.SK);
  const focusItem = focusKey ? found.find((i) => i.SK === focusKey.SK) : patientItem;
  const objections = access.find((i) => i.SK === OBJECTION_KEY)?.consents as Set<string> | undefined;
  return {
    patientRegistered: !!patientItem && patientItem.deleted !== true,
    ...(patientItem?.registeredPractice
      ? { registeredPractice: patientItem.registeredPractice as string }
      : {}),
    careContexts: Object.fromEntries(
      access
        .filter((i) => (i.SK as string).startsWith(RELATIONSHIP_PREFIX))
        .map((i) => [(i.SK as string).slice(RELATIONSHIP_PREFIX.length), careContextsOf(i)]),
    ),
    sharingObjection: (objections?.size ?? 0) > 0,
    ...(focusItem ? { focus: fromItem(focusItem) } : {}),
  };
}

async function readAccessItems(PK: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': PK, ':prefix': ACCESS_PREFIX },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
