import { afterEach, describe, expect, it } from 'vitest';
import { verifyNotificationSignature } from '#shared/notifications/notification-signature';
import { openCareContext } from '../support/care-contexts.ts';
import { EVENTUALLY_MS } from '../support/eventually.ts';
import { ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import {
  inpatientEncounter,
  safeguardingFlag,
  sandboxQueues,
  statusParameter,
  subscriptionBody,
  TOPIC,
} from '../support/subscriptions.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function receiver(
  respond?: (n: number) => number,
): Promise<{ hook: WebhookReceiver; endpoint: string }> {
  const hook = new WebhookReceiver(respond);
  receivers.push(hook);
  return { hook, endpoint: await hook.start() };
}

async function patientAt(practice = 'A81001'): Promise<string> {
  const nhs = newNhsNumber();
  expect(
    (await fhirFetch('gp', `/Patient/${nhs}`, { method: 'PUT', body: ukPatient(nhs, practice) })).status,
  ).toBe(201);
  return nhs;
}

async function subscribe(body: unknown, role: 'gp' | 'acute' = 'gp'): Promise<string> {
  const created = await fhirFetch(role, '/Subscription', { method: 'POST', body });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function status(id: string) {
  const { body } = await fhirFetch('gp', `/Subscription/${id}/$status`);
  return (body.entry as { resource: Record<string, unknown> }[])[0]?.resource;
}

describe('rest-hook notifications', () => {
  // How soon a notification arrives is measured by `npm run bench` (bench/events/notification-latency.ts).
  it("deliver a signed admission notification with the channel's headers", async () => {
    const nhs = await patientAt();
    const { hook, endpoint } = await receiver();
    const secret = 'our-shared-webhook-secret';
    const id = await subscribe(
      subscriptionBody({
        topic: 'admission',
        filter: `patient=Patient/${nhs}`,
        endpoint,
        secret,
        headers: ['Authorization: Bearer supplier-token', 'X-Supplier-Tenant: riverside'],
      }),
    );

    const admitted = await fhirFetch('acute', '/Encounter', {
      method: 'POST',
      body: inpatientEncounter(nhs),
    });
    await hook.waitFor((r) => r.length > 0);
    const [notification] = hook.received;

    expect(admitted.status).toBe(201);
    expect(notification?.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(notification?.headers.authorization).toBe('Bearer supplier-token');
    expect(notification?.headers['x-supplier-tenant']).toBe('riverside');
    const signature = notification?.headers['x-signature'] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyNotificationSignature(notification?.raw ?? '', secret, signature)).toBe(true);
    expect(verifyNotificationSignature(notification?.raw ?? '', 'someone-elses-secret', signature)).toBe(
      false,
    );

    const bundle = notification?.body;
    const subscriptionStatus = bundle?.entry[0]?.resource;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'history' });
    expect(subscriptionStatus?.resourceType).toBe('Parameters');
    expect(statusParameter(subscriptionStatus, 'subscription')?.valueReference).toEqual({
      reference: expect.stringMatching(new RegExp(`/Subscription/${id}$`)),
    });
    expect(statusParameter(subscriptionStatus, 'topic')?.valueCanonical).toBe(TOPIC('admission'));
    expect(statusParameter(subscriptionStatus, 'type')?.valueCode).toBe('event-notification');
    expect(bundle?.entry[1]?.fullUrl).toMatch(new RegExp(`/Encounter/${admitted.body.id}$`));
    expect(bundle?.entry[1]?.resource).toBeUndefined();
    expect(notification?.raw).not.toContain('inpatient encounter');
  });

  it("notify a practice of its registered patients' safeguarding concerns, and of no one else's", async () => {
    const ours = await patientAt('A81001');
    const theirs = await patientAt('A81002');
    for (const nhs of [ours, theirs]) await openCareContext('community', nhs);
    const { hook, endpoint } = await receiver();
    await subscribe(
      subscriptionBody({
        topic: 'safeguarding',
        filter: 'general-practitioner=A81001',
        endpoint,
        content: 'empty',
      }),
    );

    expect(
      (await fhirFetch('community', '/Flag', { method: 'POST', body: safeguardingFlag(theirs) })).status,
    ).toBe(201);
    const flag = await fhirFetch('community', '/Flag', { method: 'POST', body: safeguardingFlag(ours) });
    await hook.waitFor((r) => r.length > 0);
    // A second flag for our patient arriving shows the first two were matched already: theirs raised nothing.
    const sentinel = await fhirFetch('community', '/Flag', { method: 'POST', body: safeguardingFlag(ours) });
    expect(sentinel.status).toBe(201);
    await hook.waitFor((r) => r.length >= 2);

    expect(flag.status).toBe(201);
    expect(hook.received).toHaveLength(2);
    expect(hook.received[0]?.body.entry).toHaveLength(1);
    expect(hook.received[0]?.raw).not.toContain(flag.body.id as string);
    expect(hook.received[0]?.raw).not.toContain(ours);
  });

  it('retry a failing endpoint with backoff until it answers, and deliver once', async () => {
    const nhs = await patientAt();
    const { hook, endpoint } = await receiver((n) => (n <= 3 ? 503 : 200));
    const id = await subscribe(
      subscriptionBody({ topic: 'admission', filter: `patient=Patient/${nhs}`, endpoint }),
    );

    expect(
      (await fhirFetch('acute', '/Encounter', { method: 'POST', body: inpatientEncounter(nhs) })).status,
    ).toBe(201);
    await hook.waitFor((r) => r.some((n) => n.status === 200));
    // The backoff's schedule is unit-tested (delivery-backoff.test.ts); here, the outcome once delivered.
    await expect
      .poll(async () => statusParameter(await status(id), 'events-delivered')?.valueUnsignedInt, {
        timeout: EVENTUALLY_MS,
      })
      .toBe(1);
    const state = await status(id);

    expect(hook.received.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(statusParameter(state, 'status')?.valueCode).toBe('active');
    expect(statusParameter(state, 'events-delivered')?.valueUnsignedInt).toBe(1);
    expect(statusParameter(state, 'error')?.valueCodeableConcept).toEqual({
      text: 'The endpoint answered HTTP 503',
    });
  });

  it('leave a notification no endpoint accepts in the dead-letter queue, with the error in $status', async () => {
    const nhs = await patientAt();
    const { hook, endpoint } = await receiver(() => 500);
    const id = await subscribe(
      subscriptionBody({ topic: 'admission', filter: `patient=Patient/${nhs}`, endpoint }),
    );

    expect(
      (await fhirFetch('acute', '/Encounter', { method: 'POST', body: inpatientEncounter(nhs) })).status,
    ).toBe(201);
    const deadLetter = async () =>
      (await sandboxQueues()).NotificationDeliveries?.deadLetters.find((d) => d.body.subscriptionId === id);
    await expect.poll(deadLetter, { timeout: EVENTUALLY_MS }).toBeDefined();
    const state = await status(id);

    expect(await deadLetter()).toMatchObject({ receiveCount: 10 });
    expect(hook.received).toHaveLength(10);
    expect(statusParameter(state, 'status')?.valueCode).toBe('error');
    expect(statusParameter(state, 'error')?.valueCodeableConcept).toEqual({
      text: 'The endpoint answered HTTP 500',
    });
    expect(statusParameter(state, 'events-dead-lettered')?.valueUnsignedInt).toBe(1);
    expect(statusParameter(state, 'events-delivered')?.valueUnsignedInt).toBe(0);
    const read = await fhirFetch('gp', `/Subscription/${id}`);
    expect(read.body).toMatchObject({ status: 'error', error: 'The endpoint answered HTTP 500' });
  });

  it('stop once the subscription is deleted', async () => {
    const nhs = await patientAt();
    const { hook, endpoint } = await receiver();
    const id = await subscribe(
      subscriptionBody({ topic: 'discharge', filter: `patient=Patient/${nhs}`, endpoint }),
    );
    expect(
      (await fhirFetch('acute', '/Encounter', { method: 'POST', body: inpatientEncounter(nhs, 'finished') }))
        .status,
    ).toBe(201);
    await hook.waitFor((r) => r.length === 1);

    expect((await fhirFetch('gp', `/Subscription/${id}`, { method: 'DELETE' })).status).toBe(204);
    // A live subscription to the same changes is the sentinel: once it hears of the next discharge, the
    // deleted one would have too.
    const live = await receiver();
    await subscribe(
      subscriptionBody({ topic: 'discharge', filter: `patient=Patient/${nhs}`, endpoint: live.endpoint }),
    );
    expect(
      (await fhirFetch('acute', '/Encounter', { method: 'POST', body: inpatientEncounter(nhs, 'finished') }))
        .status,
    ).toBe(201);
    await live.hook.waitFor((r) => r.length === 1);

    expect(hook.received).toHaveLength(1);
  });

  it('deliver a death to a subscriber of the death topic once the registered practice records it', async () => {
    const nhs = await patientAt();
    const { hook, endpoint } = await receiver();
    const id = await subscribe(
      subscriptionBody({ topic: 'death', filter: `patient=Patient/${nhs}`, endpoint }),
    );

    // CONTRACT §4: the registered GP records the death; §5: that raises Patient.Deceased, the `death` topic.
    const recorded = await fhirFetch('gp', `/Patient/${nhs}`, {
      method: 'PUT',
      body: ukPatient(nhs, 'A81001', { deceasedDateTime: '2026-11-30T09:15:00+00:00' }),
      headers: { 'If-Match': 'W/"1"' },
    });
    expect(recorded.status).toBe(200);
    await hook.waitFor((r) => r.length > 0);

    const [notification] = hook.received;
    const subscriptionStatus = notification?.body.entry[0]?.resource;
    expect(statusParameter(subscriptionStatus, 'subscription')?.valueReference).toEqual({
      reference: expect.stringMatching(new RegExp(`/Subscription/${id}$`)),
    });
    expect(statusParameter(subscriptionStatus, 'topic')?.valueCanonical).toBe(TOPIC('death'));
    expect(statusParameter(subscriptionStatus, 'type')?.valueCode).toBe('event-notification');
    expect(notification?.body.entry[1]?.fullUrl).toMatch(new RegExp(`/Patient/${nhs}$`));
    expect(notification?.body.entry[1]?.resource).toBeUndefined();
  });
});
