import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../aws/clients.ts';
import { ownPartition, tableDesign } from '../service/table-design.ts';

/**
 * What the table keeps about a stored document's bytes, in the Binary's own partition so `GET /Binary/{id}`
 * finds it in one read: the DocumentReference it belongs to and that record's partition, which decide who may
 * download it (FHIR's Binary.securityContext), and the object holding it. Written in the DocumentReference's
 * transaction.
 */
export interface BinaryPointer {
  binaryId: string;
  documentReference: string;
  /** The partition of the DocumentReference: its patient's record. */
  partition: string;
  objectKey: string;
  contentType: string;
  size: number;
  hash: string;
  contributor: string;
}

/** What `$upload-url` promised: who may claim the upload, and what it must turn out to be. */
export interface UploadIntent {
  binaryId: string;
  organisation: string;
  contentType: string;
  size: number;
  hash: string;
}

const POINTER = 'pointer';
const UPLOAD = 'upload';
const binaryPartition = (binaryId: string) => ownPartition('Binary', binaryId);

/** The pointer's table item, for the DocumentReference's transaction. */
export function binaryPointerItem(pointer: BinaryPointer): Record<string, unknown> {
  return { PK: binaryPartition(pointer.binaryId), SK: POINTER, ...pointer };
}

/** The pointer of a stored document's Binary, or undefined when no DocumentReference holds it. */
export async function readBinaryPointer(binaryId: string): Promise<BinaryPointer | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: { PK: binaryPartition(binaryId), SK: POINTER },
      ConsistentRead: true,
    }),
  );
  if (!Item) return undefined;
  const { PK: _pk, SK: _sk, ...pointer } = Item;
  return pointer as BinaryPointer;
}

/** Records an upload about to happen; DynamoDB's TTL forgets it once it can no longer be claimed. */
export async function putUploadIntent(intent: UploadIntent, expiresAt: Date): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        PK: binaryPartition(intent.binaryId),
        SK: UPLOAD,
        ...intent,
        [tableDesign.timeToLiveAttribute]: Math.floor(expiresAt.getTime() / 1000),
      },
    }),
  );
}

/** The upload promised for a Binary, while it may still be claimed. */
export async function readUploadIntent(binaryId: string): Promise<UploadIntent | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: { PK: binaryPartition(binaryId), SK: UPLOAD },
      ConsistentRead: true,
    }),
  );
  // TTL deletes within days of expiry, not at it.
  if (!Item || (Item[tableDesign.timeToLiveAttribute] as number) * 1000 < Date.now()) return undefined;
  const { PK: _pk, SK: _sk, [tableDesign.timeToLiveAttribute]: _ttl, ...intent } = Item;
  return intent as UploadIntent;
}

/** Forgets an upload once it is claimed or refused. */
export async function forgetUploadIntent(binaryId: string): Promise<void> {
  await documentClient.send(
    new DeleteCommand({ TableName: tableName(), Key: { PK: binaryPartition(binaryId), SK: UPLOAD } }),
  );
}
