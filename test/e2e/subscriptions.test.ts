import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { registerPatient } from '../support/registration.ts';
import { sandbox } from '../support/sandbox-client.ts';
import { statusParameter, subscriptionBody, TOPIC } from '../support/subscriptions.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const receiver = new WebhookReceiver();
let endpoint: string;
let nhs: string;

beforeAll(async () => {
  endpoint = await receiver.start();
  nhs = newNhsNumber();
  await registerPatient(nhs);
});
afterAll(() => receiver.stop());

const admissions = (filter = `patient=Patient/${nhs}`) =>
  subscriptionBody({
    topic: 'admission',
    filter,
    endpoint,
    secret: 'a-secret-only-we-know-1',
    headers: ['Authorization: Bearer t0k3n'],
  });

describe('Subscription API (R4 backport)', () => {
  it('creates an active subscription, never returning its secret, and reads, lists and deletes it', async () => {
    const created = await fhirFetch('gp', '/Subscription', { method: 'POST', body: admissions() });
    const id = created.body.id as string;

    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(new RegExp(`/Subscription/${id}/_history/1$`));
    expect(created.body).toMatchObject({
      resourceType: 'Subscription',
      status: 'active',
      criteria: TOPIC('admission'),
    });
    expect(JSON.stringify(created.body)).not.toContain('a-secret-only-we-know-1');
    const read = await fhirFetch('gp', `/Subscription/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id,
      status: 'active',
      // The header is sent with each notification, but its value (a credential) is never shown again.
      channel: { header: ['Authorization: (withheld)'] },
    });
    expect(JSON.stringify(read.body)).not.toContain('subscription-secret');
    const listed = await fhirFetch('gp', '/Subscription?status=active');
    expect((listed.body.entry as { resource: { id: string } }[]).map((e) => e.resource.id)).toContain(id);

    expect((await fhirFetch('gp', `/Subscription/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fhirFetch('gp', `/Subscription/${id}`)).status).toBe(410);
    expect((await fhirFetch('gp', `/Subscription/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('creates one subscription for a POST retried with the same X-Request-ID', async () => {
    const headers = { 'X-Request-ID': crypto.randomUUID() };
    const first = await fhirFetch('gp', '/Subscription', { method: 'POST', body: admissions(), headers });
    const retried = await fhirFetch('gp', '/Subscription', { method: 'POST', body: admissions(), headers });

    expect(first.status).toBe(201);
    expect(retried.status).toBe(201);
    expect(retried.body.id).toBe(first.body.id);
  });

  it("keeps one organisation's subscriptions from every other", async () => {
    const { body } = await fhirFetch('gp', '/Subscription', { method: 'POST', body: admissions() });

    for (const path of [`/Subscription/${body.id}`, `/Subscription/${body.id}/$status`]) {
      expect((await fhirFetch('acute', path)).status).toBe(404);
    }
    expect((await fhirFetch('acute', `/Subscription/${body.id}`, { method: 'DELETE' })).status).toBe(404);
    const listed = await fhirFetch('acute', '/Subscription');
    expect(JSON.stringify(listed.body)).not.toContain(body.id as string);
  });

  it('answers $status with the backport SubscriptionStatus', async () => {
    const { body } = await fhirFetch('gp', '/Subscription', { method: 'POST', body: admissions() });
    const status = await fhirFetch('gp', `/Subscription/${body.id}/$status`);
    const parameters = (status.body.entry as { resource: Record<string, unknown> }[])[0]?.resource;

    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(parameters?.resourceType).toBe('Parameters');
    expect(statusParameter(parameters, 'status')?.valueCode).toBe('active');
    expect(statusParameter(parameters, 'type')?.valueCode).toBe('query-status');
    expect(statusParameter(parameters, 'topic')?.valueCanonical).toBe(TOPIC('admission'));
    expect(statusParameter(parameters, 'events-since-subscription-start')?.valueString).toBe('0');
    const ofType = await fhirFetch('gp', `/Subscription/$status?id=${body.id}`);
    expect(ofType.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
  });

  it('needs a legitimate relationship for a patient filter, and never takes break-glass for one', async () => {
    const unrelated = await fhirFetch('gp-other', '/Subscription', { method: 'POST', body: admissions() });
    const emergency = await fhirFetch('gp-other', '/Subscription', {
      method: 'POST',
      body: admissions(),
      headers: { 'NHSD-Purpose-Of-Use': 'ETREAT', 'NHSD-Break-Glass-Reason': 'Unconscious in A&E' },
    });

    expect(unrelated.status).toBe(403);
    expect(emergency.status).toBe(403);
    expect(emergency.body.resourceType).toBe('OperationOutcome');
  });

  it('lets a contributor subscribe to the patient, and refuses an unregistered patient', async () => {
    const contributed = await fhirFetch('acute', '/Encounter', {
      method: 'POST',
      body: {
        resourceType: 'Encounter',
        status: 'planned',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject: { reference: `Patient/${nhs}` },
      },
    });
    expect(contributed.status).toBe(201);

    expect((await fhirFetch('acute', '/Subscription', { method: 'POST', body: admissions() })).status).toBe(
      201,
    );
    const unregistered = await fhirFetch('gp', '/Subscription', {
      method: 'POST',
      body: admissions(`patient=Patient/${newNhsNumber()}`),
    });
    // Not registered answers as no relationship does (CONTRACT §4: nothing tells an outsider who is registered).
    expect(unregistered.status).toBe(403);
  });

  it('lets a practice alone subscribe to its registered patients', async () => {
    const own = await fhirFetch('gp', '/Subscription', {
      method: 'POST',
      body: admissions('general-practitioner=A81001'),
    });
    const another = await fhirFetch('gp', '/Subscription', {
      method: 'POST',
      body: admissions('general-practitioner=A81002'),
    });

    expect(own.status).toBe(201);
    expect(another.status).toBe(403);
  });

  it.each([
    ['an unknown topic', { criteria: 'https://shared-care-record.org/fhir/SubscriptionTopic/lunch' }, 422],
    ['no filter', { _criteria: undefined }, 400],
    ['no reason (required by FHIR R4)', { reason: undefined }, 400],
  ])('refuses %s', async (_case, change, status) => {
    const response = await fhirFetch('gp', '/Subscription', {
      method: 'POST',
      body: { ...admissions(), ...change },
    });

    expect(response.status).toBe(status);
    expect(response.body.resourceType).toBe('OperationOutcome');
  });

  it.each([
    ['a plain http endpoint off this machine', 'http://hooks.example.org/scr'],
    ['a private address', 'https://10.0.0.8/scr'],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data'],
    ['a host that does not resolve', 'https://no-such-host.invalid/scr'],
  ])('refuses %s as an endpoint', async (_case, url) => {
    const body = subscriptionBody({ topic: 'admission', filter: `patient=Patient/${nhs}`, endpoint: url });

    expect((await fhirFetch('gp', '/Subscription', { method: 'POST', body })).status).toBe(422);
  });

  it('never sends full resources', async () => {
    const body = subscriptionBody({
      topic: 'admission',
      filter: `patient=Patient/${nhs}`,
      endpoint,
      content: 'full-resource',
    });

    expect((await fhirFetch('gp', '/Subscription', { method: 'POST', body })).status).toBe(422);
  });

  it('validates without storing, reads its one version, and refuses update and history', async () => {
    const valid = await fhirFetch('gp', '/Subscription/$validate', { method: 'POST', body: admissions() });
    const invalid = await fhirFetch('gp', '/Subscription/$validate', {
      method: 'POST',
      body: { ...admissions(), criteria: 'https://example.org/x' },
    });
    const { body } = await fhirFetch('gp', '/Subscription', { method: 'POST', body: admissions() });

    expect(valid.body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information' }],
    });
    expect(invalid.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error' }] });
    expect(
      (
        await fhirFetch('gp', `/Subscription/${body.id}`, {
          method: 'PUT',
          body,
          headers: { 'If-Match': 'W/"1"' },
        })
      ).status,
    ).toBe(405);
    expect((await fhirFetch('gp', `/Subscription/${body.id}/_history`)).status).toBe(405);
    expect((await fhirFetch('gp', `/Subscription/${body.id}/_history/1`)).status).toBe(200);
    expect((await fhirFetch('gp', `/Subscription/${body.id}/_history/2`)).status).toBe(404);
  });

  it('lists the five topics in the CapabilityStatement as the backport IG says', async () => {
    const metadata = (await (await fetch(`${sandbox().clients.fhirBase}/metadata`)).json()) as {
      rest: { resource: { type: string; extension?: { url: string; valueCanonical: string }[] }[] }[];
    };
    const entry = metadata.rest[0]?.resource.find((r) => r.type === 'Subscription');

    expect(
      entry?.extension
        ?.filter(
          (e) =>
            e.url ===
            'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical',
        )
        .map((e) => e.valueCanonical),
    ).toEqual(
      [
        'admission',
        'discharge',
        'safeguarding',
        'death',
        'document-added',
        'referral',
        'appointment',
        'result',
        'discharge-summary',
      ].map(TOPIC),
    );
  });
});
