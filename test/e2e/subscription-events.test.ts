import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCareContext } from '../support/care-contexts.ts';
import { ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { inpatientEncounter, statusParameter, subscriptionBody } from '../support/subscriptions.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

type Parameter = { name: string; valueString?: string; valueCode?: string; part?: Parameter[] };
type Entry = { fullUrl?: string; resource?: { parameter: Parameter[] }; request?: { url: string } };

// A supplier endpoint that is down (503) until it recovers.
let down = true;
const receiver = new WebhookReceiver(() => (down ? 503 : 200));
let endpoint: string;
beforeAll(async () => {
  endpoint = await receiver.start();
});
afterAll(() => receiver.stop());

async function subscribedPatient(): Promise<{ nhs: string; id: string }> {
  const nhs = newNhsNumber();
  const { generalPractitioner: _none, ...patient } = ukPatient(nhs);
  expect((await fhirFetch('acute', `/Patient/${nhs}`, { method: 'PUT', body: patient })).status).toBe(201);
  // Subscribing to a patient needs a relationship: the trust's open outpatient Encounter (CONTRACT §4).
  await openCareContext('acute', nhs);
  const body = subscriptionBody({ topic: 'admission', filter: `patient=Patient/${nhs}`, endpoint });
  const created = await fhirFetch('acute', '/Subscription', { method: 'POST', body });
  expect(created.status).toBe(201);
  return { nhs, id: created.body.id as string };
}

async function admit(nhs: string): Promise<string> {
  const { status, body } = await fhirFetch('acute', '/Encounter', {
    method: 'POST',
    body: inpatientEncounter(nhs),
  });
  expect(status).toBe(201);
  return `Encounter/${body.id}`;
}

async function statusOf(id: string) {
  const { body } = await fhirFetch('acute', `/Subscription/${id}/$status`);
  return (body.entry as { resource: Record<string, unknown> }[])[0]?.resource;
}

const eventNumber = (p: Parameter) => p.part?.find((x) => x.name === 'event-number')?.valueString;

describe('GET /Subscription/{id}/$events (R4 backport IG)', () => {
  it('gives a receiver that was down for longer than the whole retry schedule every notification it missed', async () => {
    const { nhs, id } = await subscribedPatient();
    const missed = [await admit(nhs), await admit(nhs), await admit(nhs)];

    // Every attempt of the schedule fails: all three end in the dead-letter queue.
    await expect
      .poll(async () => statusParameter(await statusOf(id), 'events-dead-lettered')?.valueUnsignedInt, {
        timeout: 60_000,
        interval: 250,
      })
      .toBe(3);
    expect(receiver.accepted).toHaveLength(0);
    down = false;

    const { status, body } = await fhirFetch('acute', `/Subscription/${id}/$events?eventsSinceNumber=1`);
    expect(status).toBe(200);
    expect(body.resourceType).toBe('Bundle');
    expect(body.type).toBe('history');
    const entries = body.entry as Entry[];
    const statusParameters = entries[0]?.resource?.parameter ?? [];
    expect(statusParameters.find((p) => p.name === 'type')?.valueCode).toBe('query-event');
    const events = statusParameters.filter((p) => p.name === 'notification-event');
    expect(events.map(eventNumber)).toEqual(['1', '2', '3']);
    expect(new Set(entries.slice(1).map((e) => e.request?.url))).toEqual(new Set(missed));

    // $status reports the last event number, so the receiver knows where it is.
    expect(statusParameter(await statusOf(id), 'events-since-subscription-start')?.valueString).toBe('3');

    // Asked from a later number, it gives only what came after.
    const later = await fhirFetch('acute', `/Subscription/${id}/$events?eventsSinceNumber=3`);
    const laterEvents = ((later.body.entry as Entry[])[0]?.resource?.parameter ?? []).filter(
      (p) => p.name === 'notification-event',
    );
    expect(laterEvents.map(eventNumber)).toEqual(['3']);

    // The first notification after recovery says the subscription is active, not `error`.
    const next = await admit(nhs);
    await receiver.waitFor((r) => r.some((n) => n.body.entry[1]?.request?.url === next), 20_000);
    const delivered = receiver.accepted.find((n) => n.body.entry[1]?.request?.url === next);
    const deliveredStatus =
      (delivered?.body.entry[0]?.resource as { parameter: Parameter[] } | undefined)?.parameter ?? [];
    expect(deliveredStatus.find((p) => p.name === 'status')?.valueCode).toBe('active');
    expect(eventNumber(deliveredStatus.find((p) => p.name === 'notification-event') as Parameter)).toBe('4');
  }, 90_000);

  it('answers 400 for a parameter it does not take, and 404 for a subscription that is not the caller’s', async () => {
    const { id } = await subscribedPatient();
    expect((await fhirFetch('acute', `/Subscription/${id}/$events?since=1`)).status).toBe(400);
    expect((await fhirFetch('community', `/Subscription/${id}/$events`)).status).toBe(404);
  });
});
