import { createServer, type Server } from 'node:http';
import { LocalEventBus } from '#local/event-bus';
import { createEventBridgeEndpoint } from '#local/eventbridge-endpoint';
import { freePort } from '#local/free-port';
import { startSqsLocal } from '#local/sqs-local';

/** The endpoints the event-driven functions talk to, beside DynamoDB: EventBridge, SQS and a webhook. */
export interface EventEndpoints {
  /** The functions' environment: `AWS_ENDPOINT_URL_EVENTBRIDGE`, the SQS endpoint and queue URLs. */
  environment: Record<string, string>;
  /** A rest-hook endpoint that answers every notification 200, as a subscriber's would. */
  webhookUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the sandbox's own EventBridge endpoint (over a bus with no rules, so nothing is invoked here), its
 * SQS endpoint with the queue table's queues (no consumers), and a webhook receiver, all on 127.0.0.1.
 */
export async function startEventEndpoints(): Promise<EventEndpoints> {
  const eventBridge = createEventBridgeEndpoint(new LocalEventBus([]));
  const eventBridgePort = await freePort();
  await listen(eventBridge, eventBridgePort);
  const webhook = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200);
      res.end();
    });
  });
  const webhookPort = await freePort();
  await listen(webhook, webhookPort);
  const sqs = await startSqsLocal();
  return {
    environment: { AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${eventBridgePort}`, ...sqs.environment },
    webhookUrl: `http://127.0.0.1:${webhookPort}/hook`,
    stop: async () => {
      await sqs.stop();
      await Promise.all([eventBridge, webhook].map((s) => new Promise((r) => s.close(() => r(undefined)))));
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
