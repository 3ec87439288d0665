import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { sandbox } from '../support/sandbox-client.ts';
import { subscriptionBody } from '../support/subscriptions.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const receiver = new WebhookReceiver();
let endpoint: string;
beforeAll(async () => {
  endpoint = await receiver.start();
});
afterAll(() => receiver.stop());

describe('errors that say what to do', () => {
  it('a 403 for no relationship says how a relationship starts and that break-glass exists', async () => {
    const nhs = newNhsNumber();
    expect((await fhirFetch('gp', `/Patient/${nhs}`, { method: 'PUT', body: ukPatient(nhs) })).status).toBe(
      201,
    );
    const { status, body } = await fhirFetch('community', `/Patient/${nhs}`);
    expect(status).toBe(403);
    const diagnostics = (body.issue as { diagnostics: string }[])[0]?.diagnostics ?? '';
    expect(diagnostics).toMatch(/Encounter or EpisodeOfCare/);
    expect(diagnostics).toMatch(/ServiceRequest/);
    expect(diagnostics).toMatch(/NHSD-Purpose-Of-Use: ETREAT/);
  });

  it('GET /oauth2/token is 405 with Allow: POST', async () => {
    const response = await fetch(`${sandbox().url}/oauth2/token`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it("a subscription's channel.header values (the receiver's credentials) are never returned on read", async () => {
    const nhs = newNhsNumber();
    expect((await fhirFetch('gp', `/Patient/${nhs}`, { method: 'PUT', body: ukPatient(nhs) })).status).toBe(
      201,
    );
    const body = subscriptionBody({
      topic: 'admission',
      filter: `patient=Patient/${nhs}`,
      endpoint,
      headers: ['Authorization: Bearer receiver-credential-123'],
    });
    const created = await fhirFetch('gp', '/Subscription', { method: 'POST', body });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain('receiver-credential-123');
    const read = await fhirFetch('gp', `/Subscription/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain('receiver-credential-123');
    const search = await fhirFetch('gp', '/Subscription');
    expect(JSON.stringify(search.body)).not.toContain('receiver-credential-123');
  });
});
