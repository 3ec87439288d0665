import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCareContext } from '../support/care-contexts.ts';
import { ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { sandbox } from '../support/sandbox-client.ts';
import { inpatientEncounter, sandboxFault, subscriptionBody } from '../support/subscriptions.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const receiver = new WebhookReceiver();
let endpoint: string;

beforeAll(async () => {
  endpoint = await receiver.start();
});
afterAll(async () => {
  await sandboxFault({ eventBridge: 'ok' });
  await receiver.stop();
});

/**
 * A patient the acute trust registered, with no registered practice (so no admission notices are written
 * beside the notifications), and the trust's subscription to the patient's admissions.
 */
async function subscribedPatient(): Promise<string> {
  const nhs = newNhsNumber();
  const { generalPractitioner: _none, ...patient } = ukPatient(nhs);
  expect((await fhirFetch('acute', `/Patient/${nhs}`, { method: 'PUT', body: patient })).status).toBe(201);
  // Registering a patient is no relationship; the trust's outpatient attendance is (CONTRACT §4).
  await openCareContext('acute', nhs);
  const body = subscriptionBody({ topic: 'admission', filter: `patient=Patient/${nhs}`, endpoint });
  expect((await fhirFetch('acute', '/Subscription', { method: 'POST', body })).status).toBe(201);
  return nhs;
}

/** Admits the patient `count` times, one POST each, `concurrency` at a time; the Encounter references. */
async function admissions(nhs: string, count: number, concurrency = 16): Promise<string[]> {
  const focuses: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const { status, body } = await fhirFetch('acute', '/Encounter', {
          method: 'POST',
          body: inpatientEncounter(nhs),
        });
        expect(status).toBe(201);
        focuses.push(`Encounter/${body.id}`);
      }
    }),
  );
  return focuses;
}

/** Admits the patient `count` times in transaction Bundles of `size`, four at a time; the Encounter references. */
async function admissionsInTransactions(nhs: string, count: number, size = 25): Promise<string[]> {
  const bundles = Array.from({ length: count / size }, () => ({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: Array.from({ length: size }, () => ({
      request: { method: 'POST', url: 'Encounter' },
      resource: inpatientEncounter(nhs),
    })),
  }));
  const focuses: string[] = [];
  while (bundles.length) {
    const responses = await Promise.all(
      bundles.splice(0, 4).map((body) => fhirFetch('acute', '', { method: 'POST', body })),
    );
    for (const { status, body } of responses) {
      expect(status).toBe(200);
      for (const entry of body.entry as { response: { location: string } }[]) {
        focuses.push(entry.response.location.replace(/^.*?(Encounter\/[^/]+)\/_history\/\d+$/, '$1'));
      }
    }
  }
  return focuses;
}

async function published(focuses: Set<string>): Promise<number> {
  const state = (await (await fetch(`${sandbox().url}/_sandbox/events`)).json()) as {
    published: { detail: { focus?: string } }[];
  };
  return state.published.filter((e) => focuses.has(e.detail.focus ?? '')).length;
}

describe('notifications when EventBridge fails', () => {
  it('lose none of 500 changes made while publishing fails, and deliver each exactly once after recovery', async () => {
    // In transaction Bundles of 25, so one journal entry publishes 25 events, and the test spends its time on delivery.
    const nhs = await subscribedPatient();
    let focuses: string[] = [];
    await sandboxFault({ eventBridge: 'fail' });
    try {
      focuses = await admissionsInTransactions(nhs, 500);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await sandboxFault({ eventBridge: 'ok' });
    }
    await receiver.waitFor((r) => r.length >= 500, 120_000);
    // A later admission arriving shows the outbox has been read past the 500: any duplicate would be here by now.
    const [sentinel] = await admissions(nhs, 1, 1);
    await receiver.waitFor((r) => r.some((n) => n.body.entry[1]?.request?.url === sentinel), 60_000);
    const accepted = receiver.accepted.filter((n) => n.body.entry[1]?.request?.url !== sentinel);

    expect(accepted).toHaveLength(500);
    expect(new Set(accepted.map((n) => n.body.entry[1]?.request?.url))).toEqual(new Set(focuses));
    const numbers = accepted.map((n) => {
      const status = n.body.entry[0]?.resource as {
        parameter: { name: string; part?: { name: string; valueString?: string }[] }[];
      };
      return status.parameter
        .find((p) => p.name === 'notification-event')
        ?.part?.find((p) => p.name === 'event-number')?.valueString;
    });
    expect(new Set(numbers).size).toBe(500);
  }, 240_000);

  it('deliver each event once when the outbox publishes some of them again', async () => {
    const before = receiver.received.length;
    const nhs = await subscribedPatient();
    let focuses: string[] = [];
    await sandboxFault({ eventBridge: 'flaky' });
    try {
      focuses = await admissions(nhs, 60, 4);
      // Keep the bus flaky until every change is on it: some of them more than once.
      await expect.poll(() => published(new Set(focuses)), { timeout: 60_000 }).toBeGreaterThan(60);
    } finally {
      await sandboxFault({ eventBridge: 'ok' });
    }
    await receiver.waitFor((r) => r.length - before >= 60, 60_000);
    // A later admission arriving shows every earlier event has been through delivery: duplicates would be here.
    const [sentinel] = await admissions(nhs, 1, 1);
    await receiver.waitFor((r) => r.some((n) => n.body.entry[1]?.request?.url === sentinel), 60_000);
    const mine = receiver.accepted
      .slice(before)
      .map((n) => n.body.entry[1]?.request?.url ?? '')
      .filter((focus) => focus !== sentinel);

    expect(mine).toHaveLength(60);
    expect(new Set(mine)).toEqual(new Set(focuses));
  }, 180_000);
});
