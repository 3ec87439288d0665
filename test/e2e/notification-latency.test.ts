import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCareContext } from '../support/care-contexts.ts';
import { ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { inpatientEncounter, subscriptionBody } from '../support/subscriptions.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const EVENTS = 200;
/** One admission every 100 ms: about half what DynamoDB Local can write, so the figure is latency, not backlog. */
const INTERVAL_MS = 100;
const receiver = new WebhookReceiver();
let endpoint: string;

beforeAll(async () => {
  endpoint = await receiver.start();
});
afterAll(() => receiver.stop());

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

describe('write-to-delivery latency in the sandbox', () => {
  it(`is measured over ${EVENTS} admissions (median and p99 printed, and kept in test/artifacts)`, async () => {
    const nhs = newNhsNumber();
    const { generalPractitioner: _none, ...patient } = ukPatient(nhs);
    await fhirFetch('acute', `/Patient/${nhs}`, { method: 'PUT', body: patient });
    await openCareContext('acute', nhs);
    const body = subscriptionBody({ topic: 'admission', filter: `patient=Patient/${nhs}`, endpoint });
    expect((await fhirFetch('acute', '/Subscription', { method: 'POST', body })).status).toBe(201);

    const written = new Map<string, { sent: number; committed: number }>();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const sent = Date.now();
      writes.push(
        fhirFetch('acute', '/Encounter', { method: 'POST', body: inpatientEncounter(nhs) }).then((r) => {
          written.set(`Encounter/${r.body.id}`, { sent, committed: Date.now() });
        }),
      );
      await new Promise((r) => setTimeout(r, INTERVAL_MS));
    }
    await Promise.all(writes);
    await receiver.waitFor((r) => r.length >= EVENTS, 60_000);

    const fromCommit: number[] = [];
    const fromRequest: number[] = [];
    for (const n of receiver.accepted) {
      const write = written.get(n.body.entry[1]?.request?.url ?? '');
      if (!write) continue;
      fromCommit.push(n.at - write.committed);
      fromRequest.push(n.at - write.sent);
    }
    const summary = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        median: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted.at(-1),
      };
    };
    const figures = {
      events: fromCommit.length,
      intervalMs: INTERVAL_MS,
      fromCommitMs: summary(fromCommit),
      fromRequestMs: summary(fromRequest),
    };
    mkdirSync('test/artifacts', { recursive: true });
    writeFileSync('test/artifacts/notification-latency.json', `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`Notification latency over ${figures.events} admissions: ${JSON.stringify(figures)}`);

    expect(figures.events).toBe(EVENTS);
    expect(figures.fromCommitMs.p99).toBeLessThan(10_000);
  }, 90_000);
});
