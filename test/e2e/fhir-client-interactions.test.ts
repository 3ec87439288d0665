import { describe, expect, it } from 'vitest';
import { failure, fhirClient } from '../support/fhir-client.ts';
import { officialExample, ukPatient } from '../support/fixtures.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';

/** The interactions not already driven through fhir-kit-client elsewhere: delete, transaction, batch, $validate. */
describe('a real FHIR client (fhir-kit-client) against the sandbox', () => {
  it('deletes, after which the client sees 410', async () => {
    const nhs = newNhsNumber();
    const fhir = await fhirClient('gp');
    await fhir.update({ resourceType: 'Patient', id: nhs, body: ukPatient(nhs) });
    const flag = await fhir.create({
      resourceType: 'Flag',
      body: {
        ...officialExample('flag-example.json'),
        resourceType: 'Flag',
        subject: { reference: `Patient/${nhs}` },
      },
    });
    await fhir.delete({ resourceType: 'Flag', id: flag.id as string });
    expect((await failure(fhir.read({ resourceType: 'Flag', id: flag.id as string }))).status).toBe(410);
  });

  it('posts a transaction and a batch to the base', async () => {
    const nhs = newNhsNumber();
    const fhir = await fhirClient('gp');
    const transaction = (await fhir.transaction({
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:9a3e0f1c-0000-4000-8000-00000000000a',
            resource: ukPatient(nhs),
            request: { method: 'POST', url: 'Patient' },
          },
          {
            resource: {
              ...officialExample('allergyintolerance-example.json'),
              patient: { reference: 'urn:uuid:9a3e0f1c-0000-4000-8000-00000000000a' },
            },
            request: { method: 'POST', url: 'AllergyIntolerance' },
          },
        ],
      },
    })) as unknown as { type: string; entry: { response: { status: string } }[] };
    expect(transaction.type).toBe('transaction-response');
    expect(transaction.entry.map((e) => e.response.status)).toEqual(['201 Created', '201 Created']);

    const batch = (await fhir.batch({
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [{ request: { method: 'GET', url: `Patient/${nhs}` } }],
      },
    })) as unknown as { type: string; entry: { response: { status: string }; resource: { id: string } }[] };
    expect(batch.type).toBe('batch-response');
    expect(batch.entry[0]?.resource.id).toBe(nhs);
  });

  it('runs $validate as an operation', async () => {
    const fhir = await fhirClient('gp');
    const outcome = (await fhir.operation({
      resourceType: 'Patient',
      name: '$validate',
      method: 'POST',
      input: { resourceType: 'Patient', gender: 'banana' },
    })) as unknown as { resourceType: string; issue: { severity: string; expression?: string[] }[] };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(
      outcome.issue.some((i) => i.severity === 'error' && i.expression?.includes('Patient.gender')),
    ).toBe(true);
  });
});
