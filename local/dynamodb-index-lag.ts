import { createServer, request, type Server } from 'node:http';
import { freePort } from './free-port.ts';

/**
 * DynamoDB's global secondary indexes are eventually consistent on AWS: an item written a moment ago may be
 * missing from an index for a while. DynamoDB Local's indexes see every write at once, which hides code that
 * wrongly reads its own writes through an index. This proxy sits between the handlers and DynamoDB Local and,
 * for a Query or Scan of an index, leaves out the items first written less than `lagMs` ago, as AWS may
 * (`npm start -- --index-lag-ms 1000`). Everything else passes through unchanged.
 */
export interface IndexLagProxy {
  endpoint: string;
  stop(): Promise<void>;
}

type AttributeMap = Record<string, { S?: string } | undefined>;

/** The table's primary key, as the table design names it. */
const keyOf = (item: AttributeMap | undefined): string | undefined =>
  item?.PK?.S !== undefined && item?.SK?.S !== undefined ? `${item.PK.S}\u0000${item.SK.S}` : undefined;

export async function startIndexLagProxy(target: string, lagMs: number): Promise<IndexLagProxy> {
  const firstWritten = new Map<string, number>();
  const upstream = new URL(target);

  const noteWrites = (operation: string, body: Record<string, unknown>) => {
    const now = Date.now();
    const note = (item: AttributeMap | undefined) => {
      const key = keyOf(item);
      if (key && !firstWritten.has(key)) firstWritten.set(key, now);
    };
    if (operation === 'PutItem') note(body.Item as AttributeMap);
    if (operation === 'UpdateItem') note(body.Key as AttributeMap);
    if (operation === 'TransactWriteItems') {
      for (const t of (body.TransactItems ?? []) as Record<
        string,
        { Item?: AttributeMap; Key?: AttributeMap }
      >[]) {
        note(t.Put?.Item ?? t.Update?.Key);
      }
    }
    if (operation === 'BatchWriteItem') {
      for (const requests of Object.values((body.RequestItems ?? {}) as Record<string, unknown[]>)) {
        for (const r of requests as { PutRequest?: { Item: AttributeMap } }[]) note(r.PutRequest?.Item);
      }
    }
  };

  // Forgets writes once they are older than the lag: past it, the index shows them anyway.
  const forget = setInterval(
    () => {
      const horizon = Date.now() - lagMs;
      for (const [key, at] of firstWritten) if (at < horizon) firstWritten.delete(key);
    },
    Math.max(lagMs, 1000),
  );
  forget.unref();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      let body: Record<string, unknown> = {};
      try {
        body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        // Not JSON: pass it on and let DynamoDB Local answer.
      }
      noteWrites(operation, body);
      const readsIndex =
        (operation === 'Query' || operation === 'Scan') && typeof body.IndexName === 'string';
      const headers = { ...req.headers, host: upstream.host, 'accept-encoding': 'identity' };
      const forward = request(
        { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            let out = Buffer.concat(parts);
            const outHeaders = { ...answer.headers };
            if (readsIndex && answer.statusCode === 200) {
              const result = JSON.parse(out.toString('utf8')) as { Items?: AttributeMap[]; Count?: number };
              const horizon = Date.now() - lagMs;
              const visible = (result.Items ?? []).filter(
                (i) => (firstWritten.get(keyOf(i) ?? '') ?? 0) < horizon,
              );
              out = Buffer.from(JSON.stringify({ ...result, Items: visible, Count: visible.length }));
              // The body changed, so its checksum would no longer match: the SDK checks it only when present.
              delete outHeaders['x-amz-crc32'];
              outHeaders['content-length'] = String(out.length);
            }
            res.writeHead(answer.statusCode ?? 500, outHeaders);
            res.end(out);
          });
        },
      );
      forward.on('error', (e) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`DynamoDB Local did not answer: ${e.message}`);
      });
      forward.end(raw);
    });
  });
  const port = await freePort();
  await new Promise<void>((ready) => server.listen(port, '127.0.0.1', ready));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      clearInterval(forget);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
