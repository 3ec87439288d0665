import { setAuditFailing } from './audit-fault.ts';
import type { LocalEventBus } from './event-bus.ts';
import type { LocalRoute } from './gateway.ts';
import { isLoopbackAddress } from './loopback.ts';
import type { SqsLocal } from './sqs-local.ts';
import type { StreamPoller } from './stream-poller.ts';

/**
 * `/_sandbox/events` (GET): what the sandbox's bus published and could not deliver, and the stream batches
 * that failed, and each SQS queue's counts, consumer invocations and dead letters — what ops would read off
 * EventBridge and SQS metrics and dead-letter queues.
 * `/_sandbox/faults` (POST `{"eventBridge": "fail" | "flaky" | "ok"}` and/or `{"audit": "fail" | "ok"}`): makes
 * publishing fail (or, `flaky`, fail every tenth entry, so the outbox republishes) or the audit store fail, for
 * fault tests.
 * Sandbox only: nothing like it is deployed. Answers loopback clients only, even when the gateway listens on
 * another interface (`HOST`): anyone who can reach it can break the sandbox's event delivery.
 */
export function sandboxControl(bus: LocalEventBus, poller: StreamPoller, sqs?: SqsLocal): LocalRoute {
  return async (req, res) => {
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
      return true;
    };
    if (req.url?.startsWith('/_sandbox/') && !isLoopbackAddress(req.socket.remoteAddress)) {
      return reply(403, { error: 'the sandbox control endpoints answer this machine only' });
    }
    if (req.url === '/_sandbox/events' && req.method === 'GET') {
      return reply(200, {
        published: bus.published,
        deadLetters: bus.deadLetters,
        failedStreamBatches: poller.failedBatches,
        queues: sqs?.snapshot() ?? {},
      });
    }
    if (req.url === '/_sandbox/faults' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const faults = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, string>;
      const names = Object.keys(faults);
      const valid = names.every(
        (k) =>
          ['eventBridge', 'audit'].includes(k) &&
          (k === 'eventBridge' ? ['fail', 'flaky', 'ok'] : ['fail', 'ok']).includes(faults[k] ?? ''),
      );
      if (!names.length || !valid)
        return reply(400, { error: 'give eventBridge (fail, flaky or ok) and/or audit (fail or ok)' });
      if (faults.eventBridge) {
        bus.failPublishing = faults.eventBridge === 'fail';
        bus.failEveryNth = faults.eventBridge === 'flaky' ? 10 : 0;
      }
      if (faults.audit) setAuditFailing(faults.audit === 'fail');
      return reply(200, faults);
    }
    return false;
  };
}
