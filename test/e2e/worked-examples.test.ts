import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WorkedExample, workedExamples } from '#shared/openapi/worked-examples';
import { EVENTUALLY_MS } from '../support/eventually.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { clientAssertion, clientFor, sandbox } from '../support/sandbox-client.ts';
import { rememberPatientDetail } from '../support/test-patients.ts';

/** Notifications the sandbox POSTs to the test's own endpoint. */
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
const endpoint = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.writeHead(200).end();
  });
});
let endpointUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/notifications`;
});
afterAll(() => new Promise<void>((resolve) => endpoint.close(() => resolve())));

/**
 * Sends a worked example exactly as the documentation shows it, with only its placeholders filled in: the
 * signed assertion, the token, a request id, and (the sandbox being offline) a local notification endpoint.
 */
async function send(example: WorkedExample, fill: { assertion: string; token: string }) {
  const headers = Object.fromEntries(
    Object.entries(example.headers).map(([name, value]) => [
      name,
      value
        .replace('<access_token from step 1>', fill.token)
        .replace('<a new UUID per request, reused only to retry it>', crypto.randomUUID()),
    ]),
  );
  const body =
    typeof example.body === 'string'
      ? example.body.replace('<the signed JWT>', fill.assertion)
      : example.body === undefined
        ? undefined
        : JSON.stringify(example.body).replace('https://gp-system.example/fhir/notifications', endpointUrl);
  const response = await fetch(`${sandbox().url}${example.path}`, { method: example.method, headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the worked examples of the supplier documentation, run against the sandbox', () => {
  const nhs = newNhsNumber();
  rememberPatientDetail(nhs);
  const steps = workedExamples(nhs);
  const fill = { assertion: '', token: '' };

  it('1. gets a token for a signed client assertion', async () => {
    fill.assertion = await clientAssertion(clientFor('gp'));

    const { status, body } = await send(steps[0] as WorkedExample, fill);

    expect(status).toBe(steps[0]?.expectedStatus);
    expect(body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    fill.token = String(body.access_token);
  });

  it('2. registers a patient at the practice', async () => {
    const { status, body } = await send(steps[1] as WorkedExample, fill);

    expect(status).toBe(steps[1]?.expectedStatus);
    expect(body).toMatchObject({ resourceType: 'Patient', id: nhs, meta: { versionId: '1' } });
  });

  it('3. contributes an allergy, tagged with the practice as contributor', async () => {
    const { status, body } = await send(steps[2] as WorkedExample, fill);

    expect(status).toBe(steps[2]?.expectedStatus);
    expect(body).toMatchObject({
      resourceType: 'AllergyIntolerance',
      patient: { reference: `Patient/${nhs}` },
    });
    expect(JSON.stringify((body.meta as { tag: unknown }).tag)).toContain('A81001');
  });

  it('4. reads the joined-up record with the patient and the allergy', async () => {
    const { status, body } = await send(steps[3] as WorkedExample, fill);

    expect(status).toBe(steps[3]?.expectedStatus);
    const types = (body.entry as { resource: { resourceType: string } }[]).map(
      (e) => e.resource.resourceType,
    );
    expect(types).toEqual(expect.arrayContaining(['Patient', 'AllergyIntolerance']));
  });

  it('5. subscribes to admissions, and is notified when the patient is admitted', async () => {
    const { status, body } = await send(steps[4] as WorkedExample, fill);
    expect(status).toBe(steps[4]?.expectedStatus);
    expect(body).toMatchObject({ resourceType: 'Subscription', id: expect.any(String) });

    const admission = await fetch(`${sandbox().clients.fhirBase}/Encounter`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${fill.token}`, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Encounter',
        status: 'in-progress',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
        subject: { reference: `Patient/${nhs}` },
        period: { start: new Date().toISOString() },
      }),
    });
    expect(admission.status).toBe(201);
    await expect.poll(() => received.length, { timeout: EVENTUALLY_MS }).toBeGreaterThan(0);
    expect(received[0]?.headers['x-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({ resourceType: 'Bundle', type: 'history' });
  });
});
