import { createServer, type Server } from 'node:http';
import type { LocalEventBus, PutEventsEntry } from './event-bus.ts';

/**
 * An EventBridge endpoint for the SDK (`AWS_ENDPOINT_URL_EVENTBRIDGE`), speaking the AWS JSON 1.1 protocol
 * for the one action the service uses, PutEvents, so the publisher's code is the same as on AWS.
 */
export function createEventBridgeEndpoint(bus: LocalEventBus): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      const reply = (status: number, body: object) => {
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      if (target !== 'AWSEvents.PutEvents') {
        return reply(400, {
          __type: 'UnknownOperationException',
          message: `The sandbox bus only does PutEvents`,
        });
      }
      const { Entries = [] } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        Entries?: PutEventsEntry[];
      };
      const results = bus.put(Entries);
      reply(200, { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results });
    });
  });
}
