import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Consent } from '@medplum/fhirtypes';
import type { CareContexts } from '../access/care-context.ts';
import type { RecordAccessFacts } from '../access/record-access-facts.ts';
import { documentClient, tableName } from '../aws/clients.ts';
import { ServiceUnavailableError } from '../fhir/operation-outcome.ts';
import { resourceType } from '../service/resource-types.ts';
import { currentKey, OBJECTION_KEY, patientPartition, relationshipKey } from '../service/table-design.ts';
import { fromItem, type StoredResource } from './record-store.ts';

type Key = { PK: string; SK: string };

/**
 * Reads, in one BatchGetItem, what the access rules need for one organisation and one patient (the Patient,
 * the organisation's relationship facts, the objection set) together with any resources asked for by key.
 */
export async function readAccessFacts(
  nhsNumber: string,
  odsCode: string,
  resourceKeys: Key[] = [],
): Promise<{ facts: RecordAccessFacts; patient?: StoredResource; resources: StoredResource[] }> {
  const PK = patientPartition(nhsNumber);
  const patientKey = { PK, SK: currentKey('Patient', nhsNumber) };
  const keys: Key[] = [
    patientKey,
    { PK, SK: relationshipKey(odsCode) },
    { PK, SK: OBJECTION_KEY },
    ...resourceKeys,
  ];
  const get = await batchGet(keys);
  const patientItem = get(patientKey);
  const patient = patientItem ? fromItem(patientItem) : undefined;
  const objections = get({ PK, SK: OBJECTION_KEY })?.consents as Set<string> | undefined;
  return {
    facts: {
      patientRegistered: !!patient && !patient.deleted,
      registeredPractice: patientItem?.registeredPractice as string | undefined,
      careContexts: careContextsOf(get({ PK, SK: relationshipKey(odsCode) })),
      sharingObjection: (objections?.size ?? 0) > 0,
    },
    patient,
    resources: resourceKeys
      .map(get)
      .filter((i) => i !== undefined)
      .map(fromItem),
  };
}

/** What a write needs to judge relationships before and after it, for one patient. */
export interface RelationshipFacts {
  patientRegistered: boolean;
  registeredPractice?: string;
  /** Care contexts by organisation, for the organisations asked about. */
  careContexts: Map<string, CareContexts>;
}

/**
 * Reads, in one BatchGetItem, each patient's Patient and the relationship facts of the organisations a write
 * may change the relationships of (the caller, and those its care contexts name).
 */
export async function readRelationshipFacts(
  asked: Map<string, Set<string>>,
): Promise<Map<string, RelationshipFacts>> {
  return relationshipFactsFrom(asked, await batchGet(relationshipFactKeys(asked)));
}

/**
 * Reads, in one BatchGetItem, a resource's current version with the relationship facts a change to it needs
 * (its patient's Patient and the caller's relationship item): an update's one read before its transaction.
 */
export async function readForChange(
  key: Key,
  nhsNumber: string,
  odsCode: string,
): Promise<{ current?: StoredResource; facts: RelationshipFacts }> {
  const asked = new Map([[nhsNumber, new Set([odsCode])]]);
  const get = await batchGet([key, ...relationshipFactKeys(asked)]);
  const item = get(key);
  return {
    ...(item ? { current: fromItem(item) } : {}),
    facts: relationshipFactsFrom(asked, get).get(nhsNumber) as RelationshipFacts,
  };
}

function relationshipFactKeys(asked: Map<string, Set<string>>): Key[] {
  return [...asked].flatMap(([nhs, organisations]) => [
    { PK: patientPartition(nhs), SK: currentKey('Patient', nhs) },
    ...[...organisations].map((ods) => ({ PK: patientPartition(nhs), SK: relationshipKey(ods) })),
  ]);
}

function relationshipFactsFrom(
  asked: Map<string, Set<string>>,
  get: (k: Key) => Record<string, unknown> | undefined,
): Map<string, RelationshipFacts> {
  return new Map(
    [...asked].map(([nhs, organisations]) => {
      const PK = patientPartition(nhs);
      const patient = get({ PK, SK: currentKey('Patient', nhs) });
      return [
        nhs,
        {
          patientRegistered: !!patient && patient.deleted !== true,
          registeredPractice: patient?.registeredPractice as string | undefined,
          careContexts: new Map(
            [...organisations].map((ods) => [ods, careContextsOf(get({ PK, SK: relationshipKey(ods) }))]),
          ),
        },
      ];
    }),
  );
}

/** An organisation's care contexts from its relationship item: every attribute but the key. */
export function careContextsOf(item: Record<string, unknown> | undefined): CareContexts {
  const { PK: _pk, SK: _sk, ...contexts } = item ?? {};
  return contexts as CareContexts;
}

// BatchGetItem takes at most 100 keys a call; a write's keys come to far fewer, a read's to four or five.
async function batchGet(keys: Key[]): Promise<(k: Key) => Record<string, unknown> | undefined> {
  const unique = [...new Map(keys.map((k) => [`${k.PK}|${k.SK}`, k])).values()];
  const found = new Map<string, Record<string, unknown>>();
  for (let start = 0; start < unique.length; start += 100) {
    let pending: Key[] = unique.slice(start, start + 100);
    for (let attempt = 0; pending.length && attempt < 5; attempt++) {
      const { Responses, UnprocessedKeys } = await documentClient.send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of Responses?.[tableName()] ?? []) found.set(`${item.PK}|${item.SK}`, item);
      pending = (UnprocessedKeys?.[tableName()]?.Keys ?? []) as Key[];
    }
    if (pending.length) throw new ServiceUnavailableError('The record store is busy: retry shortly');
  }
  return (k: Key) => found.get(`${k.PK}|${k.SK}`);
}

/** True when a Consent, as it now stands, is an active objection to sharing (a `deny` provision). */
export function isSharingObjection(consent: Consent | undefined): boolean {
  return consent !== undefined && resourceType('Consent')?.objection?.(consent) === true;
}

/** Writes a journal entry (audit) on its own, before a read answers: if it cannot be written, nothing is returned. */
export async function writeJournalEntry(item: Record<string, unknown>): Promise<void> {
  try {
    await documentClient.send(new PutCommand({ TableName: tableName(), Item: item }));
  } catch {
    throw new ServiceUnavailableError(
      'The access could not be audited, so no data is returned: retry shortly',
    );
  }
}
