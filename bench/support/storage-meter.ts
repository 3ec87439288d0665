import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** DynamoDB work of one stretch of code: every round trip by operation, and the capacity it consumed. */
export interface StorageWork {
  /** Round trips by DynamoDB operation (`GetItem`, `TransactWriteItems`…). */
  calls: Record<string, number>;
  roundTrips: number;
  readUnits: number;
  writeUnits: number;
  /**
   * The write units AWS would bill for the items written, worked out from the requests: DynamoDB Local's figure
   * for a transaction is not AWS's (it adds up each distinct per-item cost once, so ten 1 KB items cost what
   * one does). 1 WRU per KB of an item put, 2 in a transaction; an Update, Delete or ConditionCheck in a
   * transaction at its least (2), since its item's size is not in the request. Index writes are left out.
   */
  billedWriteUnits: number;
  /** The size of each item put, as DynamoDB sizes items. */
  itemBytes: number[];
  /** The actions of each TransactWriteItems. */
  transactionActions: number[];
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
        this.count(args.input as WriteInput);
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

  private count(input: WriteInput): void {
    const puts = [
      input.Item,
      ...(input.TransactItems ?? []).map((a) => a.Put?.Item),
      ...Object.values(input.RequestItems ?? {}).flatMap((requests) =>
        Array.isArray(requests)
          ? requests.map((r) => (r as { PutRequest?: { Item: Item } }).PutRequest?.Item)
          : [],
      ),
    ];
    const perKb = input.TransactItems ? 2 : 1;
    for (const item of puts) {
      if (!item) continue;
      const bytes = itemBytes(item);
      this.work.itemBytes.push(bytes);
      this.work.billedWriteUnits += perKb * Math.max(1, Math.ceil(bytes / 1024));
    }
    if (input.TransactItems) {
      this.work.transactionActions.push(input.TransactItems.length);
      this.work.billedWriteUnits += 2 * input.TransactItems.filter((a) => !a.Put).length;
    }
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
  return {
    calls: {},
    roundTrips: 0,
    readUnits: 0,
    writeUnits: 0,
    billedWriteUnits: 0,
    itemBytes: [],
    transactionActions: [],
  };
}

type Item = Record<string, AttributeValue>;
interface WriteInput {
  Item?: Item;
  TransactItems?: { Put?: { Item: Item } }[];
  RequestItems?: Record<string, unknown>;
}

/**
 * An item's size as DynamoDB counts it (its attribute names and values in UTF-8, numbers at their digits,
 * 3 bytes a list or map plus 1 an element); hand-written because the SDK has no sizing helper.
 */
export function itemBytes(item: Item): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += Buffer.byteLength(name) + valueBytes(value);
  return bytes;
}

function valueBytes(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (v.NS) return v.NS.reduce((n, s) => n + Math.ceil(s.length / 2) + 1, 0);
  if (v.L) return 3 + v.L.reduce((n, e) => n + 1 + valueBytes(e), 0);
  if (v.M)
    return 3 + Object.entries(v.M).reduce((n, [k, e]) => n + 1 + Buffer.byteLength(k) + valueBytes(e), 0);
  return 0;
}
