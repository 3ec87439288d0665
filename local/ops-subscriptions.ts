/** One subscription's delivery state, as the ops page lists it. */
export interface SubscriptionDelivery {
  id: string;
  owner: string;
  topic: string;
  status: string;
  eventsSinceStart: number;
  delivered: number;
  deadLettered: number;
  lastError?: string;
  lastErrorAt?: string;
}

/**
 * Every subscription's delivery state (its `_status` item) with its owner and topic, read from the sandbox's
 * table: what ops would find with `$status` for each, or in the dashboard's dead-letter widget. Sandbox only: a
 * Scan is fine for a sandbox's handful of subscriptions, never for a deployment's table.
 */
export async function subscriptionDeliveries(): Promise<SubscriptionDelivery[]> {
  // Imported when first asked, once the sandbox has set the environment the SDK clients read.
  const { documentClient, tableName } = await import('#shared/aws/clients');
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'begins_with(PK, :p) AND (SK = :status OR begins_with(SK, :current))',
        ExpressionAttributeValues: {
          ':p': 'SUBSCRIPTION#',
          ':status': '_status',
          ':current': 'Subscription#',
        },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const byId = new Map<string, Partial<SubscriptionDelivery>>();
  for (const item of items) {
    const id = String(item.PK).slice('SUBSCRIPTION#'.length);
    const row = byId.get(id) ?? { id };
    if (item.SK === '_status') {
      Object.assign(row, {
        status: String(item.status ?? 'active'),
        eventsSinceStart: Number(item.eventsSinceStart ?? 0),
        delivered: Number(item.delivered ?? 0),
        deadLettered: Number(item.deadLettered ?? 0),
        ...(item.lastError ? { lastError: String(item.lastError) } : {}),
        ...(item.lastErrorAt ? { lastErrorAt: String(item.lastErrorAt) } : {}),
      });
    } else {
      row.owner = String((item.owner as { odsCode?: string } | undefined)?.odsCode ?? '');
      row.topic = String(item.topic ?? '');
    }
    byId.set(id, row);
  }
  return [...byId.values()]
    .filter((r) => r.status !== undefined && r.status !== 'off')
    .map(
      (r) =>
        ({
          owner: '',
          topic: '',
          eventsSinceStart: 0,
          delivered: 0,
          deadLettered: 0,
          ...r,
        }) as SubscriptionDelivery,
    )
    .sort(
      (a, b) => b.deadLettered - a.deadLettered || (b.lastErrorAt ?? '').localeCompare(a.lastErrorAt ?? ''),
    );
}
