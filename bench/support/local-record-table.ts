import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureRecordTable } from '#local/record-table';

/**
 * The record table, made as the sandbox makes it, on a DynamoDB Local a benchmark part started for itself (the
 * scale and export parts load hundreds of thousands of items there): its plain and document clients.
 */
export async function localRecordTable(
  endpoint: string,
  tableName: string,
): Promise<{ admin: DynamoDBClient; client: DynamoDBDocumentClient }> {
  const admin = new DynamoDBClient({
    endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureRecordTable(admin, tableName);
  return { admin, client: DynamoDBDocumentClient.from(admin) };
}
