import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** DynamoDB work of one stretch of code: every round trip by operation, and the capacity it consumed. */
export interface StorageWork {
  /** Round trips by DynamoDB operation (`GetItem`, `TransactWriteItems`…). */
  calls: Record<string, number>;
  roundTrips: number;
  readUnits: number;
  writeUnits: number;
}

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

const READ_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

/**
 * Counts what a DynamoDB client sends: one middleware at `initialize` asks DynamoDB for the capacity each
 * command consumed (`ReturnConsumedCapacity: TOTAL`), one at `build` names the operation from the request's
 * `X-Amz-Target` (the wire truth, whichever document-client wrapper sent it) and sums the capacity returned.
 * The document client shares its client's middleware stack, so metering `dynamodb` meters both.
 */
export class StorageMeter {
  private work = emptyWork();
  /** Off: the middlewares pass commands through untouched (for CPU timing). */
  enabled = true;

  constructor(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next) => async (args) => {
        if (this.enabled) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
        return next(args);
      },
      { step: 'initialize', name: 'benchConsumedCapacity', priority: 'high' },
    );
    client.middlewareStack.add(
      (next) => async (args) => {
        if (!this.enabled) return next(args);
        const request = args.request as { headers?: Record<string, string> };
        const target = request.headers?.['x-amz-target'] ?? request.headers?.['X-Amz-Target'] ?? '';
        const operation = target.split('.').pop() || 'Unknown';
        this.work.calls[operation] = (this.work.calls[operation] ?? 0) + 1;
        this.work.roundTrips++;
        const result = await next(args);
        this.add(operation, (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity);
        return result;
      },
      { step: 'build', name: 'benchRoundTrips', priority: 'low' },
    );
  }

  /** What was counted since the last call, and a fresh count from now. */
  take(): StorageWork {
    const work = this.work;
    this.work = emptyWork();
    return work;
  }

  private add(operation: string, consumed: Capacity | Capacity[] | undefined): void {
    for (const c of [consumed ?? []].flat()) {
      if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
        this.work.readUnits += c.ReadCapacityUnits ?? 0;
        this.work.writeUnits += c.WriteCapacityUnits ?? 0;
      } else if (READ_OPERATIONS.has(operation)) this.work.readUnits += c.CapacityUnits ?? 0;
      else this.work.writeUnits += c.CapacityUnits ?? 0;
    }
  }
}

function emptyWork(): StorageWork {
  return { calls: {}, roundTrips: 0, readUnits: 0, writeUnits: 0 };
}
