import { inject } from 'vitest';

// Integration tests call shared/ adapters directly against the sandbox's emulators: point the SDK at them
// before any test module builds its clients, as the sandbox does for its handlers.
const sandbox = inject('sandbox');
Object.assign(process.env, {
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_ENDPOINT_URL_DYNAMODB: sandbox.dynamodbEndpoint,
  AWS_ENDPOINT_URL_S3: sandbox.s3Endpoint,
  TABLE_NAME: sandbox.tableName,
  POWERTOOLS_METRICS_DISABLED: 'true',
});
