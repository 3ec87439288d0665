import { describe, expect, it } from 'vitest';
import { failure, fhirClient } from '../support/fhir-client.ts';
import { officialExample, ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';

async function registeredPatient(role: 'gp' | 'acute' = 'gp'): Promise<string> {
  const nhs = newNhsNumber();
  const created = await fhirFetch(role, `/Patient/${nhs}`, { method: 'PUT', body: ukPatient(nhs) });
  expect(created.status).toBe(201);
  return nhs;
}

const asResource = (r: Record<string, unknown>) => r as { resourceType: string };

const withoutServerFields = (r: Record<string, unknown>) => {
  const { id: _id, meta: _meta, ...rest } = r;
  return rest;
};

/**
 * The changes beyond the patient reference an example needs to meet the contract: the DocumentReference
 * example points at its document over plain http, and CONTRACT §6 takes pointers to https addresses only; an
 * Encounter is a care context, whose `serviceProvider` is the organisation recording it (CONTRACT §4).
 */
function withContractAdjustments(example: Record<string, unknown>): Record<string, unknown> {
  if (example.resourceType === 'Encounter') {
    return { ...example, serviceProvider: { reference: 'Organization/A81001' } };
  }
  if (example.resourceType !== 'DocumentReference') return example;
  const content = (example.content as { attachment: { url?: string } }[]).map((c) => ({
    ...c,
    attachment: { ...c.attachment, url: c.attachment.url?.replace(/^http:/, 'https:') },
  }));
  return { ...example, content };
}

const EXAMPLES: [string, 'subject' | 'patient'][] = [
  ['allergyintolerance-example.json', 'patient'],
  ['condition-example.json', 'subject'],
  ['consent-example.json', 'patient'],
  ['documentreference-example.json', 'subject'],
  ['encounter-example.json', 'subject'],
  ['flag-example.json', 'subject'],
  ['immunization-example.json', 'patient'],
  ['medicationstatementexample1.json', 'subject'],
  ['observation-example.json', 'subject'],
];

describe('official HL7 R4 examples', () => {
  it.each(EXAMPLES)(
    'accepts %s once it references a registered patient, and reads it back equal',
    async (file, element) => {
      const nhs = await registeredPatient();
      const example = withContractAdjustments(officialExample(file));
      const body = {
        ...example,
        [element]: { ...(example[element] as object), reference: `Patient/${nhs}` },
      };
      const fhir = await fhirClient('gp');
      const created = await fhir.create({
        resourceType: body.resourceType as string,
        body: asResource(body),
      });
      expect(created.id).not.toBe(example.id);
      const read = await fhir.read({ resourceType: body.resourceType as string, id: created.id as string });
      expect(withoutServerFields(read)).toEqual(withoutServerFields(body));
    },
  );

  it('accepts the official Patient example at an NHS number, and reads it back equal', async () => {
    const nhs = newNhsNumber();
    const example = officialExample('patient-example.json');
    const identifier = [
      { system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs },
      ...(example.identifier as []),
    ];
    // Registered at the practice that writes it, so that practice has the relationship to read it back.
    const generalPractitioner = [{ reference: 'Organization/A81001' }];
    const body = { ...example, id: nhs, identifier, generalPractitioner };
    const fhir = await fhirClient('gp');
    await fhir.update({ resourceType: 'Patient', id: nhs, body: asResource(body) });
    expect(withoutServerFields(await fhir.read({ resourceType: 'Patient', id: nhs }))).toEqual(
      withoutServerFields(body),
    );
  });
});

describe('create, read, vread, update, delete, history', () => {
  it('creates with a server-assigned id (ignoring one in the body), answering 201 with Location and ETag', async () => {
    const nhs = await registeredPatient();
    const condition = {
      ...officialExample('condition-example.json'),
      subject: { reference: `Patient/${nhs}` },
    };
    const created = await fhirFetch('gp', '/Condition', { method: 'POST', body: condition });
    expect(created.status).toBe(201);
    expect(created.body.id).not.toBe('example');
    expect(created.headers.get('location')).toMatch(new RegExp(`/Condition/${created.body.id}/_history/1$`));
    expect(created.headers.get('etag')).toBe('W/"1"');
    expect(created.body.meta).toMatchObject({
      versionId: '1',
      tag: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', code: 'A81001' }],
    });
  });

  it('sets the contributor tag from the token, never from the body', async () => {
    const nhs = await registeredPatient();
    const forged = {
      ...officialExample('flag-example.json'),
      subject: { reference: `Patient/${nhs}` },
      meta: { tag: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', code: 'RX1' }] },
    };
    const created = await fhirFetch('gp', '/Flag', { method: 'POST', body: forged });
    expect((created.body.meta as { tag: unknown[] }).tag).toEqual([
      { system: 'https://fhir.nhs.uk/Id/ods-organization-code', code: 'A81001' },
    ]);
  });

  it('updates with If-Match (200, next version), refuses a missing one (428) and a stale one (412)', async () => {
    const nhs = await registeredPatient();
    const fhir = await fhirClient('gp');
    const created = await fhir.create({
      resourceType: 'Observation',
      body: asResource({
        ...officialExample('observation-example.json'),
        subject: { reference: `Patient/${nhs}` },
      }),
    });
    const id = created.id as string;
    const path = `/Observation/${id}`;
    const changed = { ...created, status: 'amended' };
    expect((await fhirFetch('gp', path, { method: 'PUT', body: changed })).status).toBe(428);
    const updated = await fhirFetch('gp', path, {
      method: 'PUT',
      body: changed,
      headers: { 'If-Match': 'W/"1"' },
    });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('W/"2"');
    const stale = await fhirFetch('gp', path, {
      method: 'PUT',
      body: changed,
      headers: { 'If-Match': 'W/"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.resourceType).toBe('OperationOutcome');

    const v1 = await fhir.vread({ resourceType: 'Observation', id, version: '1' });
    expect(v1.status).toBe('final');
    const v2 = await fhir.vread({ resourceType: 'Observation', id, version: '2' });
    expect(v2.status).toBe('amended');
    expect((await failure(fhir.vread({ resourceType: 'Observation', id, version: '3' }))).status).toBe(404);
  });

  it('deletes: later reads answer 410, the history keeps every version, newest first', async () => {
    const nhs = await registeredPatient();
    const fhir = await fhirClient('gp');
    const created = await fhir.create({
      resourceType: 'AllergyIntolerance',
      body: asResource({
        ...officialExample('allergyintolerance-example.json'),
        patient: { reference: `Patient/${nhs}` },
      }),
    });
    const id = created.id as string;
    const deleted = await fhirFetch('gp', `/AllergyIntolerance/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await failure(fhir.read({ resourceType: 'AllergyIntolerance', id }))).status).toBe(410);
    const history = await fhir.resourceHistory({ resourceType: 'AllergyIntolerance', id });
    expect(history.type).toBe('history');
    const entries = history.entry as { request: { method: string }; response: { etag: string } }[];
    expect(entries.map((e) => [e.request.method, e.response.etag])).toEqual([
      ['DELETE', 'W/"2"'],
      ['POST', 'W/"1"'],
    ]);
  });

  it('answers 404 for an unknown id, and 404 with an OperationOutcome for an unsupported type', async () => {
    const unknown = await fhirFetch('gp', '/Condition/no-such-condition');
    expect(unknown.status).toBe(404);
    const unsupported = await fhirFetch('gp', '/Medication/abc');
    expect(unsupported.status).toBe(404);
    expect(unsupported.body.resourceType).toBe('OperationOutcome');
  });
});

describe('bad input changes nothing', () => {
  it('refuses a resource for an unregistered patient with 422', async () => {
    const nhs = newNhsNumber();
    const response = await fhirFetch('gp', '/Condition', {
      method: 'POST',
      body: asResource({
        ...officialExample('condition-example.json'),
        subject: { reference: `Patient/${nhs}` },
      }),
    });
    expect(response.status).toBe(422);
    expect(response.body.resourceType).toBe('OperationOutcome');
  });

  it.each([
    ['a resourceType that does not match the URL', '/Condition', { resourceType: 'Observation' }, 400],
    ['an invalid code', '/Patient', { resourceType: 'Patient', gender: 'banana' }, 400],
    ['an unknown element', '/Flag', { resourceType: 'Flag', colour: 'red' }, 400],
    ['a body that is not an object', '/Flag', '[1, 2, 3]', 400],
  ])('refuses %s with 400', async (_name, path, body, status) => {
    const response = await fhirFetch('gp', path, { method: 'POST', body });
    expect(response.status).toBe(status);
    expect(response.body.resourceType).toBe('OperationOutcome');
    expect(((response.body.issue as { diagnostics: string }[])[0]?.diagnostics ?? '').length).toBeGreaterThan(
      10,
    );
  });

  it('refuses a body over 5 MB with 413', async () => {
    const nhs = await registeredPatient();
    const huge = {
      ...officialExample('condition-example.json'),
      subject: { reference: `Patient/${nhs}` },
      note: [{ text: 'x'.repeat(5 * 1024 * 1024 + 10) }],
    };
    const response = await fhirFetch('gp', '/Condition', { method: 'POST', body: huge });
    expect(response.status).toBe(413);
  });

  it('refuses an invalid id in the URL with 400', async () => {
    const response = await fhirFetch('gp', `/Condition/${'x'.repeat(65)}`);
    expect(response.status).toBe(400);
  });
});

describe('optimistic concurrency', () => {
  it('lets exactly one of 20 concurrent updates with the same If-Match win; the rest get 412', async () => {
    const nhs = await registeredPatient();
    const fhir = await fhirClient('gp');
    const created = await fhir.create({
      resourceType: 'Condition',
      body: asResource({
        ...officialExample('condition-example.json'),
        subject: { reference: `Patient/${nhs}` },
      }),
    });
    const id = created.id as string;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fhirFetch('gp', `/Condition/${id}`, {
          method: 'PUT',
          body: { ...created, note: [{ text: `writer ${i}` }] },
          headers: { 'If-Match': 'W/"1"' },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const history = await fhir.resourceHistory({ resourceType: 'Condition', id });
    expect(history.total).toBe(2);
  });
});

describe('retries are safe', () => {
  it('returns the first response to a POST retried with the same X-Request-ID, creating nothing new', async () => {
    const nhs = await registeredPatient();
    const body = { ...officialExample('condition-example.json'), subject: { reference: `Patient/${nhs}` } };
    const headers = { 'X-Request-ID': crypto.randomUUID() };
    const first = await fhirFetch('gp', '/Condition', { method: 'POST', body, headers });
    const retry = await fhirFetch('gp', '/Condition', { method: 'POST', body, headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const other = await fhirFetch('gp', '/Condition', {
      method: 'POST',
      body,
      headers: { 'X-Request-ID': crypto.randomUUID() },
    });
    expect(other.body.id).not.toBe(first.body.id);
  });
});
