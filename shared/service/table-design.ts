/**
 * The one DynamoDB table's key design, read by the CDK stack, the sandbox's table creation and the record store.
 * A patient's whole record sits in one partition (`PATIENT#<nhs>`), so the joined-up record is one Query.
 */
export const tableDesign = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** Items whose TTL attribute has passed are removed by DynamoDB (used for `jti` replay records). */
  timeToLiveAttribute: 'expiresAt',
  /** Finds a resource's partition from its logical id alone: `GSI1PK = <Type>/<id>` on current items. */
  byIdIndex: { name: 'byId', partitionKey: 'GSI1PK' },
} as const;

export const PATIENT_PREFIX = 'PATIENT#';
/** Partition of a patient's record. */
export const patientPartition = (nhsNumber: string) => `${PATIENT_PREFIX}${nhsNumber}`;
/** Partition of a resource that belongs to no patient (Organization, Subscription). */
export const ownPartition = (resourceType: string, id: string) => `${resourceType.toUpperCase()}#${id}`;
/** Sort key of a resource's current version. */
export const currentKey = (resourceType: string, id: string) => `${resourceType}#${id}`;
/** Sort key of an earlier version, zero-padded so versions sort in order. */
export const historyKey = (resourceType: string, id: string, versionId: number) =>
  `_history#${resourceType}#${id}#${String(versionId).padStart(10, '0')}`;
/** Key of a one-time client assertion id, kept until the assertion expires. */
export const assertionKey = (clientId: string, jti: string) => ({
  PK: `CLIENT#${clientId}`,
  SK: `JTI#${jti}`,
});
/** Sort key of a journal entry (audit + outbox), in time order within the partition. */
export const journalKey = (recorded: string, id: string) => `${JOURNAL_PREFIX}${recorded}#${id}`;
export const JOURNAL_PREFIX = '_journal#';
/**
 * Sort key of an organisation's relationship facts for a patient: one attribute per care context it holds
 * (`Encounter/<id>` = `open` or the instant it ended), read with the resource in one BatchGetItem.
 */
export const relationshipKey = (odsCode: string) => `${RELATIONSHIP_PREFIX}${odsCode}`;
export const RELATIONSHIP_PREFIX = '_access#relationship#';
/** Sort key of the set of a patient's active Consents that object to sharing. */
export const OBJECTION_KEY = '_access#objection';
/** Key of the supplier registry: every supplier system with its organisations, scopes and public keys. */
export const REGISTRY_KEY = { PK: 'REGISTRY', SK: 'SUPPLIER_SYSTEMS' } as const;
/**
 * Keys of the point-of-care viewer's launch codes and sessions: each under its own partition, named by the
 * SHA-256 of its secret, so the table never holds a usable code or cookie. Both expire by TTL.
 */
export const viewerLaunchKey = (secretHash: string) => ({ PK: `VIEWER#${secretHash}`, SK: 'LAUNCH' });
export const viewerSessionKey = (secretHash: string) => ({ PK: `VIEWER#${secretHash}`, SK: 'SESSION' });
/** Key of a bulk export job (status, request, caller, counts, manifest; expires by TTL). */
export const exportJobKey = (exportId: string) => ({ PK: `EXPORT#${exportId}`, SK: 'JOB' });
/** Where an export's NDJSON files go in the documents bucket (a lifecycle rule expires them). */
export const exportFilesPrefix = (exportId: string) => `exports/${exportId}/`;
/**
 * Key of one NHS number on the national data opt-out register: one item each, all in one partition, so a
 * file of tens of thousands loads with BatchWriteItem and an export checks a page's patients with BatchGetItem.
 */
export const optOutKey = (nhsNumber: string) => ({ PK: OPT_OUT_PARTITION, SK: nhsNumber });
export const OPT_OUT_PARTITION = 'OPT_OUT';
