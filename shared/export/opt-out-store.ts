import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../aws/clients.ts';
import { OPT_OUT_PARTITION, optOutKey } from '../service/table-design.ts';

const WRITE_BATCH = 25;
const READ_BATCH = 100;

/** Adds NHS numbers to the national data opt-out register (one item each; adding one twice changes nothing). */
export async function addToOptOutRegister(nhsNumbers: readonly string[]): Promise<void> {
  await writeBatches(nhsNumbers.map((nhs) => ({ PutRequest: { Item: optOutKey(nhs) } })));
}

/**
 * Makes the register exactly `nhsNumbers`: the new numbers are written first and only then are the numbers no
 * longer listed removed, so a patient on both the old and the new file is never exported in between.
 */
export async function replaceOptOutRegister(nhsNumbers: readonly string[]): Promise<{ removed: number }> {
  await addToOptOutRegister(nhsNumbers);
  const keep = new Set(nhsNumbers);
  const stale: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': OPT_OUT_PARTITION },
        ProjectionExpression: 'SK',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) if (!keep.has(item.SK as string)) stale.push(item.SK as string);
    start = page.LastEvaluatedKey;
  } while (start);
  await writeBatches(stale.map((nhs) => ({ DeleteRequest: { Key: optOutKey(nhs) } })));
  return { removed: stale.length };
}

/** Which of these NHS numbers are on the register: one BatchGetItem per hundred. */
export async function optedOutAmong(nhsNumbers: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < nhsNumbers.length; i += READ_BATCH) {
    let keys: Record<string, unknown>[] | undefined = nhsNumbers.slice(i, i + READ_BATCH).map(optOutKey);
    while (keys?.length) {
      const answer: BatchGetCommandOutput = await documentClient.send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: keys, ProjectionExpression: 'SK' } } }),
      );
      for (const item of answer.Responses?.[tableName()] ?? []) found.add(item.SK as string);
      keys = answer.UnprocessedKeys?.[tableName()]?.Keys;
    }
  }
  return found;
}

type WriteRequest = NonNullable<
  ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']
>[string][number];

async function writeBatches(requests: WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += WRITE_BATCH) {
    let batch: WriteRequest[] | undefined = requests.slice(i, i + WRITE_BATCH);
    // DynamoDB may leave some of a batch unprocessed under load: they are sent again until none are left.
    while (batch?.length) {
      const answer: BatchWriteCommandOutput = await documentClient.send(
        new BatchWriteCommand({ RequestItems: { [tableName()]: batch } }),
      );
      batch = answer.UnprocessedItems?.[tableName()];
    }
  }
}
