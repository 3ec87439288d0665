import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Consent } from '@medplum/fhirtypes';
import type { RecordAccessFacts } from '../access/record-access-facts.ts';
import { documentClient, tableName } from '../aws/clients.ts';
import { ServiceUnavailableError } from '../fhir/operation-outcome.ts';
import { resourceType } from '../service/resource-types.ts';
import { contributorKey, currentKey, OBJECTION_KEY, patientPartition } from '../service/table-design.ts';
import { fromItem, type StoredResource } from './record-store.ts';

type Key = { PK: string; SK: string };

/**
 * Reads, in one BatchGetItem, what the access rules need for one organisation and one patient (the Patient,
 * the organisation's contributor marker, the objection set) together with any resources asked for by key.
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
    { PK, SK: contributorKey(odsCode) },
    { PK, SK: OBJECTION_KEY },
    ...resourceKeys,
  ];
  const unique = [...new Map(keys.map((k) => [`${k.PK}|${k.SK}`, k])).values()];
  const found = new Map<string, Record<string, unknown>>();
  let pending: Key[] = unique;
  for (let attempt = 0; pending.length && attempt < 5; attempt++) {
    const { Responses, UnprocessedKeys } = await documentClient.send(
      new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } } }),
    );
    for (const item of Responses?.[tableName()] ?? []) found.set(`${item.PK}|${item.SK}`, item);
    pending = (UnprocessedKeys?.[tableName()]?.Keys ?? []) as Key[];
  }
  if (pending.length) throw new ServiceUnavailableError('The record store is busy: retry shortly');
  const get = (k: Key) => found.get(`${k.PK}|${k.SK}`);
  const patientItem = get(patientKey);
  const patient = patientItem ? fromItem(patientItem) : undefined;
  const objections = get({ PK, SK: OBJECTION_KEY })?.consents as Set<string> | undefined;
  return {
    facts: {
      patientRegistered: !!patient && !patient.deleted,
      registeredPractice: patientItem?.registeredPractice as string | undefined,
      callerContributed: get({ PK, SK: contributorKey(odsCode) }) !== undefined,
      sharingObjection: (objections?.size ?? 0) > 0,
    },
    patient,
    resources: resourceKeys
      .map(get)
      .filter((i) => i !== undefined)
      .map(fromItem),
  };
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
