import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * AWS SDK clients, made once per process. Endpoints come from the SDK's own settings, so the sandbox points
 * them at its emulators with `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL_S3` and no code here changes.
 */
export const dynamodb = new DynamoDBClient({
  // One Lambda invocation needs a handful of connections; the sandbox runs every request in one process.
  requestHandler: { httpAgent: { maxSockets: 256 }, httpsAgent: { maxSockets: 256 } },
});

export const documentClient = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});

export { tableName } from './table-name.ts';
