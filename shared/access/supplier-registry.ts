import { tableName } from '../aws/table-name.ts';
import { REGISTRY_KEY } from '../service/table-design.ts';
import type { SupplierClient } from './supplier-client.ts';

/**
 * How long API Gateway (and the sandbox's gateway) reuses the token authorizer's decision for the same token.
 * The authorizer checks the client is still registered, so a removed client is refused within this plus
 * `REGISTRY_CACHE_SECONDS`: 50 s, inside the 60 s CONTRACT §2 promises. A token's `exp` is enforced per request by the
 * functions (`shared/http/caller.ts`), so the cache cannot stretch a token's life.
 */
export const AUTHORIZER_CACHE_SECONDS = 25;

/**
 * How long a function keeps the registry it read before reading it again (see `AUTHORIZER_CACHE_SECONDS`).
 * The environment variable `REGISTRY_CACHE_SECONDS` may shorten it, never lengthen it.
 */
export const REGISTRY_CACHE_SECONDS = 25;

/** The registry as stored: one item, so replacing it (a deployment, an onboarding change) is one atomic write. */
interface RegistryItem {
  version: number;
  clients: SupplierClient[];
}

/**
 * The DynamoDB SDK, loaded on first use: the authorizer imports this module, and its cold start should not pay
 * for the SDK before the first look-up (the same reason as `shared/aws/s3.ts`). Only external packages are
 * imported here: a bundled module imported lazily would still have its own SDK imports hoisted to the top.
 */
let sdk:
  | Promise<{
      documentClient: import('@aws-sdk/lib-dynamodb').DynamoDBDocumentClient;
      GetCommand: typeof import('@aws-sdk/lib-dynamodb').GetCommand;
      PutCommand: typeof import('@aws-sdk/lib-dynamodb').PutCommand;
      ConditionalCheckFailedException: typeof import('@aws-sdk/client-dynamodb').ConditionalCheckFailedException;
    }>
  | undefined;

function dynamodb() {
  sdk ??= Promise.all([import('@aws-sdk/client-dynamodb'), import('@aws-sdk/lib-dynamodb')]).then(
    ([client, lib]) => ({
      documentClient: lib.DynamoDBDocumentClient.from(new client.DynamoDBClient({})),
      GetCommand: lib.GetCommand,
      PutCommand: lib.PutCommand,
      ConditionalCheckFailedException: client.ConditionalCheckFailedException,
    }),
  );
  return sdk.then((loaded) => ({ ...loaded, tableName }));
}

let cached: { clients: Map<string, SupplierClient>; until: number } | undefined;
let loading: Promise<Map<string, SupplierClient>> | undefined;

const cacheMs = () =>
  Math.min(Number(process.env.REGISTRY_CACHE_SECONDS ?? REGISTRY_CACHE_SECONDS), REGISTRY_CACHE_SECONDS) *
  1000;

/**
 * The registered supplier system with this client id, or undefined when there is none (never registered, or
 * removed). The registry is one record-table item, read at most once per `REGISTRY_CACHE_SECONDS` per process,
 * so it grows with the ICB (hundreds of systems, thousands of organisations) without a redeploy of the functions.
 *
 * @example (await supplierClient('northbridge-epr'))?.organisations // ['RX1']
 */
export async function supplierClient(clientId: string): Promise<SupplierClient | undefined> {
  if (!cached || cached.until <= Date.now()) {
    loading ??= readRegistry().finally(() => {
      loading = undefined;
    });
    const clients = await loading;
    cached = { clients, until: Date.now() + cacheMs() };
  }
  return cached.clients.get(clientId);
}

/** Forgets the cached registry, so the next look-up reads it again (tests). */
export function resetSupplierClients(): void {
  cached = undefined;
}

async function readRegistry(): Promise<Map<string, SupplierClient>> {
  // Unit tests and the benchmarks give the registry inline instead of a table.
  if (process.env.CLIENT_REGISTRY !== undefined) {
    const list = JSON.parse(process.env.CLIENT_REGISTRY) as SupplierClient[];
    return new Map(list.map((c) => [c.clientId, c]));
  }
  const { documentClient, tableName, GetCommand } = await dynamodb();
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: REGISTRY_KEY }));
  const clients = JSON.parse((Item?.clients as string | undefined) ?? '[]') as SupplierClient[];
  return new Map(clients.map((c) => [c.clientId, c]));
}

async function readItem(): Promise<RegistryItem> {
  const { documentClient, tableName, GetCommand } = await dynamodb();
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: REGISTRY_KEY, ConsistentRead: true }),
  );
  return {
    version: (Item?.version as number | undefined) ?? 0,
    clients: JSON.parse((Item?.clients as string | undefined) ?? '[]') as SupplierClient[],
  };
}

/**
 * Replaces the registry item, conditional on the version read, so two changes at once cannot lose either.
 * The clients travel as one JSON string: DynamoDB's 400 KB item holds about 400 systems with inline keys.
 */
async function writeItem(clients: SupplierClient[], readVersion: number): Promise<void> {
  const { documentClient, tableName, PutCommand } = await dynamodb();
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...REGISTRY_KEY, version: readVersion + 1, clients: JSON.stringify(clients) },
      ConditionExpression: readVersion === 0 ? 'attribute_not_exists(PK)' : 'version = :read',
      ...(readVersion === 0 ? {} : { ExpressionAttributeValues: { ':read': readVersion } }),
    }),
  );
}

/** Runs a change of the registry, reading it again and retrying when another change got in first. */
async function changeRegistry(change: (clients: SupplierClient[]) => SupplierClient[]): Promise<void> {
  const { ConditionalCheckFailedException } = await dynamodb();
  for (let attempt = 0; ; attempt++) {
    const { version, clients } = await readItem();
    try {
      await writeItem(change(clients), version);
      return;
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException) || attempt >= 5) throw e;
    }
  }
}

/**
 * Makes the registry exactly these supplier systems (what a deployment does from the ICB's config).
 *
 * @example await replaceSupplierRegistry(clientRegistry(config))
 */
export function replaceSupplierRegistry(clients: SupplierClient[]): Promise<void> {
  return changeRegistry(() => clients);
}

/** Adds a supplier system, or replaces the one with its client id (a changed key, another organisation). */
export function saveSupplierSystem(client: SupplierClient): Promise<void> {
  return changeRegistry((clients) => [...clients.filter((c) => c.clientId !== client.clientId), client]);
}

/** Removes a supplier system: its token requests, and its live tokens within 60 s, are refused. */
export function removeSupplierSystem(clientId: string): Promise<void> {
  return changeRegistry((clients) => clients.filter((c) => c.clientId !== clientId));
}
