import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { failure, fhirClient } from '../support/fhir-client.ts';
import { accessToken, clientAssertion, clientFor, requestToken, sandbox } from '../support/sandbox-client.ts';

const patient = (nhs: string) => ({
  resourceType: 'Patient',
  id: nhs,
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }],
  name: [{ family: 'Testpatient', given: ['Alex'] }],
  gender: 'other',
  birthDate: '1990-01-31',
  generalPractitioner: [{ reference: 'Organization/A81001' }],
});

describe('sandbox start-up (CONTRACT §1)', () => {
  it('answers /_health with 200 and status ok', async () => {
    const response = await fetch(`${sandbox().url}/_health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('writes clients.json with one client per contract role, each for its own seeded organisations', async () => {
    const { clients } = sandbox();
    expect(clients.fhirBase).toBe(`${sandbox().url}/FHIR/R4`);
    expect(clients.tokenUrl).toBe(`${sandbox().url}/oauth2/token`);
    const roles = clients.clients.map((c) => c.role).sort();
    expect(roles).toEqual([
      'acute',
      'analyst',
      'auditor',
      'community',
      'gp',
      'gp-other',
      'gp-system',
      'social-care',
    ]);
    expect(new Set(clients.clients.map((c) => c.odsCode)).size).toBe(7);
    expect(clients.clients.find((c) => c.role === 'gp-system')?.organisations).toEqual(['A81001', 'A81002']);
    const fhir = await fhirClient('gp');
    for (const c of clients.clients) {
      const org = await fhir.read({ resourceType: 'Organization', id: c.odsCode });
      expect(org.identifier).toEqual([
        { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: c.odsCode },
      ]);
    }
  });
});

describe('token endpoint (CONTRACT §2)', () => {
  it('exchanges a signed client assertion for a short-lived bearer token naming the client', async () => {
    const client = clientFor('acute');
    const response = await requestToken(await clientAssertion(client));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBeGreaterThan(0);
    expect(body.expires_in).toBeLessThanOrEqual(3600);
    const claims = decodeJwt(body.access_token);
    expect(claims.sub).toBe(client.clientId);
  });

  it('refuses an assertion whose jti was used before', async () => {
    const client = clientFor('gp');
    const assertion = await clientAssertion(client, {}, { jti: crypto.randomUUID() });
    expect((await requestToken(assertion)).status).toBe(200);
    const replay = await requestToken(assertion);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it.each([
    ['the wrong audience', { aud: 'https://example.org/token' }, {}, 'invalid_request'],
    ['an expired assertion', { exp: Math.floor(Date.now() / 1000) - 60 }, {}, 'invalid_grant'],
    ['exp more than 5 minutes ahead', {}, { expiresInSeconds: 3600 }, 'invalid_grant'],
    ['an unknown client', { iss: 'nobody', sub: 'nobody' }, {}, 'invalid_client'],
    ['sub not equal to iss', { sub: 'sandbox-acute' }, {}, 'invalid_request'],
  ])('refuses %s with an OAuth error', async (_name, claims, options, error) => {
    const response = await requestToken(await clientAssertion(clientFor('gp'), claims, options));
    expect([400, 401]).toContain(response.status);
    expect(((await response.json()) as { error: string }).error).toBe(error);
  });

  it('refuses an assertion signed with another client’s key', async () => {
    const assertion = await clientAssertion(clientFor('acute'), { iss: 'sandbox-gp', sub: 'sandbox-gp' });
    const response = await requestToken(assertion);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('publishes the service JWKS', async () => {
    const response = await fetch(`${sandbox().url}/.well-known/jwks.json`);
    const jwks = (await response.json()) as { keys: { kty: string; kid: string; d?: string }[] };
    expect(jwks.keys[0]?.kty).toBe('RSA');
    expect(jwks.keys[0]?.d).toBeUndefined();
  });
});

describe('Patient PUT and GET (CONTRACT §3)', () => {
  it('PUTs a new patient (201, Location, ETag) and GETs it back with its contributor tag', async () => {
    const fhir = await fhirClient('gp');
    const created = await fhir.update({
      resourceType: 'Patient',
      id: '9000000025',
      body: patient('9000000025'),
    });
    expect(created.meta).toMatchObject({ versionId: '1' });
    const read = await fhir.read({ resourceType: 'Patient', id: '9000000025' });
    expect(read.name).toEqual([{ family: 'Testpatient', given: ['Alex'] }]);
    expect((read.meta as { tag: unknown[] }).tag).toContainEqual({
      system: 'https://fhir.nhs.uk/Id/ods-organization-code',
      code: 'A81001',
    });

    const raw = await fetch(`${sandbox().clients.fhirBase}/Patient/9000000025`, {
      headers: { Authorization: `Bearer ${await accessToken('gp')}` },
    });
    expect(raw.headers.get('etag')).toBe('W/"1"');
    expect(raw.headers.get('content-type')).toContain('application/fhir+json');
  });

  it('answers a create with 201 and Location, and an update with If-Match with 200 and the next version', async () => {
    const url = `${sandbox().clients.fhirBase}/Patient/9000000033`;
    const headers = {
      Authorization: `Bearer ${await accessToken('gp')}`,
      'Content-Type': 'application/fhir+json',
    };
    const create = await fetch(url, { method: 'PUT', headers, body: JSON.stringify(patient('9000000033')) });
    expect(create.status).toBe(201);
    expect(create.headers.get('location')).toBe(`${url}/_history/1`);
    const noIfMatch = await fetch(url, {
      method: 'PUT',
      headers,
      body: JSON.stringify(patient('9000000033')),
    });
    expect(noIfMatch.status).toBe(428);
    const update = await fetch(url, {
      method: 'PUT',
      headers: { ...headers, 'If-Match': 'W/"1"' },
      body: JSON.stringify({ ...patient('9000000033'), gender: 'female' }),
    });
    expect(update.status).toBe(200);
    expect(update.headers.get('etag')).toBe('W/"2"');
    const stale = await fetch(url, {
      method: 'PUT',
      headers: { ...headers, 'If-Match': 'W/"1"' },
      body: JSON.stringify(patient('9000000033')),
    });
    expect(stale.status).toBe(412);
  });

  it('refuses an NHS number with a wrong check digit with 400 and an OperationOutcome, storing nothing', async () => {
    const fhir = await fhirClient('gp');
    const put = await failure(
      fhir.update({ resourceType: 'Patient', id: '9000000010', body: patient('9000000010') }),
    );
    expect(put.status).toBe(400);
    expect(put.data.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(put.data)).toMatch(/check digit/);
    const get = await failure(fhir.read({ resourceType: 'Patient', id: '9000000010' }));
    expect(get.status).toBe(400);
  });

  it('answers a valid NHS number with no record as one with no relationship: 403 with an OperationOutcome', async () => {
    // CONTRACT §4: no one has a relationship with a patient who is not registered, and the answer must not
    // tell an organisation without one whether a patient is registered.
    const fhir = await fhirClient('gp');
    const get = await failure(fhir.read({ resourceType: 'Patient', id: '9000000041' }));
    expect(get.status).toBe(403);
    expect(get.data.resourceType).toBe('OperationOutcome');
  });

  it('refuses malformed JSON, a wrong content type and a mismatched id with a 4xx OperationOutcome', async () => {
    const url = `${sandbox().clients.fhirBase}/Patient/9000000068`;
    const auth = { Authorization: `Bearer ${await accessToken('gp')}` };
    const cases: [RequestInit, number][] = [
      [
        {
          headers: { ...auth, 'Content-Type': 'application/fhir+json' },
          body: '{"resourceType": "Patient",',
        },
        400,
      ],
      [
        { headers: { ...auth, 'Content-Type': 'text/plain' }, body: JSON.stringify(patient('9000000068')) },
        415,
      ],
      [
        {
          headers: { ...auth, 'Content-Type': 'application/fhir+json' },
          body: JSON.stringify(patient('9000000076')),
        },
        400,
      ],
    ];
    for (const [init, status] of cases) {
      const response = await fetch(url, { method: 'PUT', ...init });
      expect(response.status).toBe(status);
      expect(((await response.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    }
    const read = await fetch(url, { headers: auth });
    expect(read.status).toBe(403);
  });

  it('answers a call with no token, or a forged one, with 401 and an OperationOutcome', async () => {
    const url = `${sandbox().clients.fhirBase}/Patient/9000000009`;
    for (const headers of [{}, { Authorization: 'Bearer not.a.token' }] as Record<string, string>[]) {
      const response = await fetch(url, { headers });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    }
  });

  it('serves GET /metadata without a token', async () => {
    const response = await fetch(`${sandbox().clients.fhirBase}/metadata`);
    expect(response.status).toBe(200);
    const statement = (await response.json()) as { resourceType: string; fhirVersion: string };
    expect(statement.resourceType).toBe('CapabilityStatement');
    expect(statement.fhirVersion).toBe('4.0.1');
  });

  it('echoes X-Request-ID and X-Correlation-ID', async () => {
    const response = await fetch(`${sandbox().clients.fhirBase}/metadata`, {
      headers: { 'X-Request-ID': 'req-123', 'X-Correlation-ID': 'corr-456' },
    });
    expect(response.headers.get('x-request-id')).toBe('req-123');
    expect(response.headers.get('x-correlation-id')).toBe('corr-456');
  });
});

describe('CapabilityStatement', () => {
  it('lists, from the same declarations that route and search, the types, interactions, search parameters and operations served', async () => {
    const statement = (await (await fetch(`${sandbox().clients.fhirBase}/metadata`)).json()) as {
      rest: {
        interaction: { code: string }[];
        resource: {
          type: string;
          interaction: { code: string }[];
          searchParam?: { name: string }[];
          operation?: { name: string }[];
        }[];
      }[];
    };
    const [rest] = statement.rest;
    expect(rest?.interaction.map((i) => i.code)).toEqual(['transaction', 'batch']);
    const condition = rest?.resource.find((r) => r.type === 'Condition');
    expect(condition?.interaction.map((i) => i.code)).toEqual(
      expect.arrayContaining([
        'create',
        'read',
        'vread',
        'update',
        'delete',
        'history-instance',
        'search-type',
      ]),
    );
    expect(condition?.searchParam?.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        '_id',
        '_lastUpdated',
        'patient',
        'subject',
        'code',
        'clinical-status',
        'category',
      ]),
    );
    expect(rest?.resource.find((r) => r.type === 'Patient')?.operation?.map((o) => o.name)).toContain(
      'everything',
    );
    const auditEvent = rest?.resource.find((r) => r.type === 'AuditEvent');
    expect(auditEvent?.interaction.map((i) => i.code)).toEqual(['search-type']);
    expect(rest?.resource.some((r) => r.type === 'Medication')).toBe(false);
    const binary = rest?.resource.find((r) => r.type === 'Binary');
    expect(binary?.interaction.map((i) => i.code)).toEqual(['read']);
    expect(binary?.operation?.map((o) => o.name)).toEqual(['upload-url']);
  });
});
