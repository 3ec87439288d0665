import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { EVENTUALLY_MS } from './eventually.ts';

/** One request a receiver got: its headers, the exact body bytes (as signed) and the body parsed. */
export interface ReceivedNotification {
  headers: IncomingHttpHeaders;
  raw: string;
  body: {
    resourceType: string;
    type: string;
    entry: {
      fullUrl?: string;
      resource?: Record<string, unknown>;
      request?: { method: string; url: string };
    }[];
  };
  at: number;
  status: number;
}

/**
 * A supplier's rest-hook endpoint on 127.0.0.1 (port 0): records every notification and answers with the status
 * `respond` gives for the n-th request (1-based), 200 by default.
 */
export class WebhookReceiver {
  readonly received: ReceivedNotification[] = [];
  private server?: Server;

  constructor(private readonly respond: (n: number) => number = () => 200) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const status = this.respond(this.received.length + 1);
        this.received.push({ headers: req.headers, raw, body: JSON.parse(raw), at: Date.now(), status });
        res.writeHead(status);
        res.end();
      });
    });
    this.server = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/notifications`;
  }

  /** The notifications it answered 2xx. */
  get accepted(): ReceivedNotification[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300);
  }

  /** The focus references (`Encounter/123`) of the accepted notifications, in arrival order. */
  get acceptedFocuses(): string[] {
    return this.accepted.map((r) => r.body.entry[1]?.request?.url ?? '');
  }

  /** Waits until `done` holds of what arrived, failing after `timeoutMs`. */
  async waitFor(
    done: (received: ReceivedNotification[]) => boolean,
    timeoutMs = EVENTUALLY_MS,
  ): Promise<void> {
    await expect
      .poll(() => done(this.received), {
        timeout: timeoutMs,
        interval: 20,
        message: `waiting on the receiver (${this.received.length} notifications so far)`,
      })
      .toBe(true);
  }

  stop(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
