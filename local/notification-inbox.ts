import type { LocalRoute } from './gateway.ts';

/** One notification an inbox received: its headers and the exact body bytes (as signed). */
interface Received {
  receivedAt: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

// Enough for a walk-through; an inbox forgets its oldest notifications beyond it.
const KEPT_PER_INBOX = 100;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * `/_sandbox/inbox/{name}`: a rest-hook receiver the sandbox runs for you, so the subscription worked example
 * works with nothing else running. `POST` stores a notification (answering 200); `GET` answers what arrived,
 * oldest first, as `[{ receivedAt, headers, body }]` with `body` the exact text that was signed. Any name makes
 * an inbox. Sandbox only: a deployment delivers to https endpoints of the supplier's own.
 */
export function notificationInbox(): LocalRoute {
  const inboxes = new Map<string, Received[]>();
  return async (req, res) => {
    const name = /^\/_sandbox\/inbox\/([^/?]+)$/.exec((req.url ?? '').split('?')[0] as string)?.[1];
    if (!name) return false;
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body));
      return true;
    };
    if (!NAME.test(name)) return reply(400, { error: 'an inbox name is 1 to 64 letters, digits, - or _' });
    if (req.method === 'GET') return reply(200, inboxes.get(name) ?? []);
    if (req.method !== 'POST') return reply(405, { error: 'POST a notification, or GET what arrived' });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const list = inboxes.get(name) ?? [];
    list.push({
      receivedAt: new Date().toISOString(),
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    inboxes.set(name, list.slice(-KEPT_PER_INBOX));
    return reply(200, { received: true });
  };
}
