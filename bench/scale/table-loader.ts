import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** DynamoDB's limit on the items of one BatchWriteItem. */
const BATCH = 25;

/**
 * Loads items into a table fast: BatchWriteItem, 25 items a call, `concurrency` calls in flight, unprocessed
 * items sent again until none is left.
 */
export async function loadItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  concurrency = 8,
): Promise<number> {
  let written = 0;
  const inFlight = new Set<Promise<void>>();
  const send = async (batch: Record<string, unknown>[]) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    while (pending.length) {
      const { UnprocessedItems } = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = (UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
    written += batch.length;
  };
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    const p = send(batch).finally(() => inFlight.delete(p));
    inFlight.add(p);
    batch = [];
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };
  for await (const item of items) {
    batch.push(item);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  await Promise.all(inFlight);
  return written;
}
