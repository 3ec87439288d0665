import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { patientPartition } from '#shared/service/table-design';
import { openCareContext } from '../support/care-contexts.ts';
import { officialExample, ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { registerPatient } from '../support/registration.ts';
import { sandbox } from '../support/sandbox-client.ts';

type Entry = {
  fullUrl?: string;
  resource?: Record<string, unknown>;
  request: { method: string; url: string };
};

/**
 * Every item of one patient's partition (current and earlier versions, journal, access markers), as a sorted
 * list of keys and versions: "the record exactly as it was". Only this test's patient, so tests running
 * beside it cannot change what is compared.
 */
async function recordSnapshot(nhs: string): Promise<string[]> {
  const client = new DynamoDBClient({ endpoint: sandbox().dynamodbEndpoint });
  const items: string[] = [];
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: sandbox().tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': { S: patientPartition(nhs) } },
        ExclusiveStartKey,
        ConsistentRead: true,
      }),
    );
    for (const i of page.Items ?? []) items.push(`${i.PK?.S}|${i.SK?.S}|${i.versionId?.N ?? ''}`);
    ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
  } while (ExclusiveStartKey);
  return items.sort();
}

function newPatientEntries(nhs: string): Entry[] {
  return [
    {
      fullUrl: 'urn:uuid:6f1c6d2e-0000-4000-8000-000000000001',
      resource: ukPatient(nhs),
      request: { method: 'POST', url: 'Patient' },
    },
    {
      fullUrl: 'urn:uuid:6f1c6d2e-0000-4000-8000-000000000002',
      resource: {
        ...officialExample('condition-example.json'),
        subject: { reference: 'urn:uuid:6f1c6d2e-0000-4000-8000-000000000001' },
      },
      request: { method: 'POST', url: 'Condition' },
    },
  ];
}

describe('transaction Bundles', () => {
  it('creates a patient and a condition that references it by urn:uuid, atomically', async () => {
    const nhs = newNhsNumber();
    const response = await fhirFetch('gp', '', {
      method: 'POST',
      body: { resourceType: 'Bundle', type: 'transaction', entry: newPatientEntries(nhs) },
    });
    expect(response.status).toBe(200);
    expect(response.body.type).toBe('transaction-response');
    const entries = response.body.entry as {
      response: { status: string; location: string };
      resource: { id: string; subject?: { reference: string } };
    }[];
    expect(entries.map((e) => e.response.status)).toEqual(['201 Created', '201 Created']);
    expect(entries[0]?.resource.id).toBe(nhs);
    expect(entries[1]?.resource.subject?.reference).toBe(`Patient/${nhs}`);
    const read = await fhirFetch('gp', `/Condition/${entries[1]?.resource.id}`);
    expect((read.body.subject as { reference: string }).reference).toBe(`Patient/${nhs}`);
  });

  it('leaves the table exactly as it was when one entry is invalid', async () => {
    const nhs = newNhsNumber();
    const before = await recordSnapshot(nhs);
    const entries = [
      ...newPatientEntries(nhs),
      {
        resource: { resourceType: 'Observation', status: 'not-a-status' },
        request: { method: 'POST', url: 'Observation' },
      },
    ];
    const response = await fhirFetch('gp', '', {
      method: 'POST',
      body: { resourceType: 'Bundle', type: 'transaction', entry: entries },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('Entry 2');
    expect(await recordSnapshot(nhs)).toEqual(before);
    // Not registered: to the practice, as to anyone, no relationship (403).
    expect((await fhirFetch('gp', `/Patient/${nhs}`)).status).toBe(403);
  });

  it('leaves the table as it was when one entry names a stale version (If-Match)', async () => {
    const nhs = newNhsNumber();
    await registerPatient(nhs);
    const before = await recordSnapshot(nhs);
    const entries: Entry[] = [
      {
        resource: { ...officialExample('flag-example.json'), subject: { reference: `Patient/${nhs}` } },
        request: { method: 'POST', url: 'Flag' },
      },
      {
        resource: ukPatient(nhs, 'A81001', { gender: 'female' }),
        request: { method: 'PUT', url: `Patient/${nhs}`, ifMatch: 'W/"7"' } as Entry['request'],
      },
    ];
    const response = await fhirFetch('gp', '', {
      method: 'POST',
      body: { resourceType: 'Bundle', type: 'transaction', entry: entries },
    });
    expect(response.status).toBe(412);
    expect(await recordSnapshot(nhs)).toEqual(before);
  });

  it('refuses a transaction of more than 50 entries with 413 and an OperationOutcome', async () => {
    const entries = Array.from({ length: 51 }, () => ({
      resource: { resourceType: 'Flag' },
      request: { method: 'POST', url: 'Flag' },
    }));
    const response = await fhirFetch('gp', '', {
      method: 'POST',
      body: { resourceType: 'Bundle', type: 'transaction', entry: entries },
    });
    expect(response.status).toBe(413);
    expect(response.body.resourceType).toBe('OperationOutcome');
  });

  it('takes 50 creates for one patient in one transaction', async () => {
    const nhs = newNhsNumber();
    await registerPatient(nhs);
    const entries = Array.from({ length: 50 }, () => ({
      resource: { ...officialExample('observation-example.json'), subject: { reference: `Patient/${nhs}` } },
      request: { method: 'POST', url: 'Observation' },
    }));
    const response = await fhirFetch('gp', '', {
      method: 'POST',
      body: { resourceType: 'Bundle', type: 'transaction', entry: entries },
    });
    expect(response.status).toBe(200);
    const search = await fhirFetch('gp', `/Observation?patient=Patient/${nhs}&_count=100`);
    expect(search.body.total).toBe(50);
  });
});

describe('a transaction that would change one resource twice', () => {
  it('is refused with 400 and changes nothing, even when the second change is implied (a pointer superseding another)', async () => {
    const nhs = newNhsNumber();
    await registerPatient(nhs, { as: 'acute' });
    await openCareContext('acute', nhs);
    const pointer = (url: string, extra: object = {}) => ({
      resourceType: 'DocumentReference',
      status: 'current',
      type: {
        coding: [{ system: 'http://snomed.info/sct', code: '373942005', display: 'Discharge summary' }],
      },
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '892931000000107' }] }],
      subject: { reference: `Patient/${nhs}` },
      content: [{ attachment: { contentType: 'application/pdf', url } }],
      ...extra,
    });
    const older = await fhirFetch('acute', '/DocumentReference', {
      method: 'POST',
      body: pointer('https://ehr.northbridge-hospitals.nhs.uk/documents/ds-1'),
    });
    expect(older.status).toBe(201);
    const before = await recordSnapshot(nhs);
    const entries = [
      {
        resource: { ...older.body, description: 'edited' },
        request: { method: 'PUT', url: `DocumentReference/${older.body.id}`, ifMatch: 'W/"1"' },
      },
      {
        resource: pointer('https://ehr.northbridge-hospitals.nhs.uk/documents/ds-2', {
          relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${older.body.id}` } }],
        }),
        request: { method: 'POST', url: 'DocumentReference' },
      },
    ];
    const response = await fhirFetch('acute', '', {
      method: 'POST',
      body: { resourceType: 'Bundle', type: 'transaction', entry: entries },
    });
    expect(response.status).toBe(400);
    expect(response.body.resourceType).toBe('OperationOutcome');
    expect(await recordSnapshot(nhs)).toEqual(before);
  });
});

describe('batch Bundles', () => {
  it('runs each entry alone: good ones land, bad ones answer their own OperationOutcome', async () => {
    const nhs = newNhsNumber();
    await registerPatient(nhs);
    const entries = [
      {
        resource: { ...officialExample('flag-example.json'), subject: { reference: `Patient/${nhs}` } },
        request: { method: 'POST', url: 'Flag' },
      },
      { resource: { resourceType: 'Flag', status: 'bogus' }, request: { method: 'POST', url: 'Flag' } },
      { request: { method: 'GET', url: `Patient/${nhs}` } },
    ];
    const response = await fhirFetch('gp', '', {
      method: 'POST',
      body: { resourceType: 'Bundle', type: 'batch', entry: entries },
    });
    expect(response.status).toBe(200);
    const results = response.body.entry as {
      response: { status: string; outcome?: { resourceType: string } };
      resource?: { id: string };
    }[];
    expect(results.map((r) => r.response.status.slice(0, 3))).toEqual(['201', '400', '200']);
    expect(results[1]?.response.outcome?.resourceType).toBe('OperationOutcome');
    expect(results[2]?.resource?.id).toBe(nhs);
  });

  it('refuses a batch of more than 200 entries with 413', async () => {
    const entries = Array.from({ length: 201 }, () => ({
      request: { method: 'GET', url: 'Patient/9000000009' },
    }));
    const response = await fhirFetch('gp', '', {
      method: 'POST',
      body: { resourceType: 'Bundle', type: 'batch', entry: entries },
    });
    expect(response.status).toBe(413);
  });
});
