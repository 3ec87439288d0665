import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoOrganisations } from '#local/demo-organisations';
import type { FunctionName } from '#shared/service/functions';
import type { SandboxProcess } from './sandbox-process.ts';

/**
 * The environment a function runs with when the benchmark invokes it in a process of its own: the sandbox's
 * emulators and settings (as `local/sandbox.ts` sets them for its handlers), and Powertools as the stack sets
 * it on Lambda (INFO logs, metrics on), so log and metric output is part of what is measured.
 */
export function handlerEnvironment(
  sandbox: SandboxProcess,
  name: FunctionName,
  extra: Record<string, string> = {},
): Record<string, string> {
  const registry = sandbox.clients.clients.map(({ kid, alg, privateJwk: jwk, ...client }) => ({
    ...client,
    publicKeys: [{ kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg, use: 'sig' }],
  }));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: sandbox.dynamodbEndpoint,
    AWS_ENDPOINT_URL_S3: sandbox.s3Endpoint,
    TABLE_NAME: sandbox.tableName,
    IDEMPOTENCY_TABLE_NAME: `${sandbox.tableName}-idempotency`,
    BUCKET_NAME: sandbox.bucketName,
    EVENT_BUS_NAME: 'shared-care-record',
    PUBLIC_BASE_URL: sandbox.url,
    TOKEN_SIGNING_JWK: readFileSync(join(sandbox.dir, 'service-signing-key.json'), 'utf8'),
    CURSOR_SECRET: randomBytes(32).toString('base64url'),
    CLIENT_REGISTRY: JSON.stringify(registry),
    ALLOW_LOCAL_ENDPOINTS: 'true',
    SOCIAL_CARE_ODS_CODES: demoOrganisations
      .filter((o) => o.role === 'social-care')
      .map((o) => o.odsCode)
      .join(','),
    POWERTOOLS_SERVICE_NAME: name,
    // The stack's namespace (infra/constructs/service-function.ts); its constant is moving between modules.
    POWERTOOLS_METRICS_NAMESPACE: 'shared-care-record',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    ...extra,
  };
  return env;
}
