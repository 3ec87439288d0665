import type { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { dynamodb } from '../aws/clients.ts';
import { OperationOutcomeError } from '../fhir/operation-outcome.ts';
import { currentInvocation } from './invocation-context.ts';

/** How long a retried POST gets the first response back (CONTRACT §3). */
const RETRY_WINDOW_SECONDS = 24 * 60 * 60;

let persistence: DynamoDBPersistenceLayer | undefined;

/**
 * Powertools idempotency (with its JMESPath engine, a tenth of the FHIR function's bundle), loaded at the first
 * POST that carries an `X-Request-ID`: the reads and searches most containers serve never evaluate it.
 */
const idempotency = () =>
  Promise.all([
    import('@aws-lambda-powertools/idempotency'),
    import('@aws-lambda-powertools/idempotency/dynamodb'),
  ]);

/**
 * Runs the writes of a POST at most once per client and `X-Request-ID` within 24 hours, with Powertools
 * idempotency: a retry gets the first answer (any JSON value) and creates nothing new; a retry while the
 * first is still running gets 409. Failures are not remembered, so a corrected retry can succeed. Without an
 * `X-Request-ID` it just runs. Only writes go through it: a read is authorised and audited every time.
 */
export async function idempotentPost<T = APIGatewayProxyResult>(
  key: { clientId: string; requestId: string | undefined; path: string },
  run: () => Promise<T>,
): Promise<T> {
  const table = process.env.IDEMPOTENCY_TABLE_NAME;
  if (!key.requestId || !table) return run();
  const [
    { IdempotencyAlreadyInProgressError, IdempotencyConfig, makeIdempotent },
    { DynamoDBPersistenceLayer },
  ] = await idempotency();
  persistence ??= new DynamoDBPersistenceLayer({ tableName: table, awsSdkV3Client: dynamodb });
  // With the invocation's context, a retry after a timed-out first attempt runs again instead of waiting 24 hours
  // (and Powertools has no reason to warn in plain text).
  const lambdaContext = currentInvocation();
  const once = makeIdempotent(async (_: typeof key) => run(), {
    persistenceStore: persistence,
    config: new IdempotencyConfig({
      expiresAfterSeconds: RETRY_WINDOW_SECONDS,
      ...(lambdaContext ? { lambdaContext } : {}),
    }),
  });
  try {
    return await once(key);
  } catch (e) {
    if (e instanceof IdempotencyAlreadyInProgressError) {
      throw new OperationOutcomeError(409, [
        {
          code: 'conflict',
          diagnostics: 'A request with this X-Request-ID is still being processed: retry shortly',
        },
      ]);
    }
    const cause = (e as { cause?: unknown }).cause;
    throw cause instanceof OperationOutcomeError ? cause : e;
  }
}
