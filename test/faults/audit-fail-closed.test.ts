import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalPdf, sha1Base64 } from '../support/documents.ts';
import { officialExample } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { registerPatient } from '../support/registration.ts';
import { sandboxFault, subscriptionBody } from '../support/subscriptions.ts';

// CONTRACT §4: every interaction with patient data writes an AuditEvent before data is returned, refused ones
// included. When the audit store fails, every path the audit guards answers 503 with an OperationOutcome and
// gives nothing of the record (the sandbox's audit fault makes every journal entry written on its own fail).
const nhs = newNhsNumber();
let conditionId = '';
let binary = '';

beforeAll(async () => {
  await registerPatient(nhs);
  const created = await fhirFetch('gp', '/Condition', {
    method: 'POST',
    body: { ...officialExample('condition-example.json'), subject: { reference: `Patient/${nhs}` } },
  });
  expect(created.status).toBe(201);
  conditionId = created.body.id as string;
  const pdf = minimalPdf('Discharge summary: audit fault');
  const document = await fhirFetch('gp', '/DocumentReference', {
    method: 'POST',
    body: {
      resourceType: 'DocumentReference',
      status: 'current',
      subject: { reference: `Patient/${nhs}` },
      content: [
        {
          attachment: {
            contentType: 'application/pdf',
            size: pdf.length,
            hash: sha1Base64(pdf),
            data: pdf.toString('base64'),
          },
        },
      ],
    },
  });
  expect(document.status).toBe(201);
  const url = (document.body.content as { attachment: { url: string } }[])[0]?.attachment.url ?? '';
  binary = url.slice(url.indexOf('/Binary/'));
  await sandboxFault({ audit: 'fail' });
});

afterAll(async () => {
  await sandboxFault({ audit: 'ok' });
});

/** Answers 503, an OperationOutcome, and nothing of the patient. */
function expectClosed(response: Awaited<ReturnType<typeof fhirFetch>>) {
  expect(response.status).toBe(503);
  expect(response.body.resourceType).toBe('OperationOutcome');
  expect(response.body.entry).toBeUndefined();
  expect(JSON.stringify(response.body)).not.toContain('Testpatient');
}

describe('when the audit cannot be written, nothing is answered but 503', () => {
  it.each([
    ['read', () => `/Condition/${conditionId}`],
    ['vread', () => `/Condition/${conditionId}/_history/1`],
    ['history', () => `/Condition/${conditionId}/_history`],
    ['search', () => `/Condition?patient=Patient/${nhs}`],
    ['$everything', () => `/Patient/${nhs}/$everything`],
    ['Patient read', () => `/Patient/${nhs}`],
    ['Patient search', () => `/Patient?_id=${nhs}`],
    ['DocumentReference search', () => `/DocumentReference?patient=Patient/${nhs}`],
    ['Binary', () => binary],
  ])('%s by the registered practice', async (_path, path) => {
    expectClosed(await fhirFetch('gp', path()));
  });

  it('a read refused for want of a relationship (its refusal cannot be audited either)', async () => {
    expectClosed(await fhirFetch('gp-other', `/Condition/${conditionId}`));
  });

  it('a break-glass read', async () => {
    const response = await fhirFetch('community', `/Patient/${nhs}/$everything`, {
      headers: { 'NHSD-Purpose-Of-Use': 'ETREAT', 'NHSD-Break-Glass-Reason': 'Unconscious in A&E' },
    });
    expectClosed(response);
  });

  it('a change refused because another organisation contributed the resource', async () => {
    const response = await fhirFetch('acute', `/Condition/${conditionId}`, { method: 'DELETE' });
    expect(response.status).toBe(503);
    expect(response.body.resourceType).toBe('OperationOutcome');
  });

  it('a batch of reads: each entry 503, none with a resource', async () => {
    const response = await fhirFetch('gp', '', {
      method: 'POST',
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { request: { method: 'GET', url: `Condition/${conditionId}` } },
          { request: { method: 'GET', url: `Patient/${nhs}` } },
        ],
      },
    });
    const entries = (response.body.entry ?? []) as { response: { status: string }; resource?: unknown }[];
    expect(entries.map((e) => e.response.status.slice(0, 3))).toEqual(['503', '503']);
    expect(entries.every((e) => e.resource === undefined)).toBe(true);
  });

  it('a subscription to the patient, which needs (and audits) a relationship', async () => {
    const body = subscriptionBody({
      topic: 'admission',
      filter: `patient=Patient/${nhs}`,
      endpoint: 'http://127.0.0.1:9/hook',
    });
    const response = await fhirFetch('gp', '/Subscription', { method: 'POST', body });
    expect(response.status).toBe(503);
    expect(response.body.resourceType).toBe('OperationOutcome');
  });

  it('and reads answer again once the audit store recovers', async () => {
    await sandboxFault({ audit: 'ok' });
    expect((await fhirFetch('gp', `/Condition/${conditionId}`)).status).toBe(200);
    await sandboxFault({ audit: 'fail' });
  });
});
