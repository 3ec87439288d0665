import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { removeSupplierSystem, saveSupplierSystem } from '#shared/access/supplier-registry';
import { ukPatient } from '../support/fixtures.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { accessToken, clientAssertion, clientFor, requestToken, sandbox } from '../support/sandbox-client.ts';

const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
const ORG_HEADER = 'NHSD-End-User-Organisation-ODS';

/** A FHIR call with a given bearer token (and headers), answering status and body. */
async function call(
  token: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
  headers = {},
) {
  const response = await fetch(`${sandbox().clients.fhirBase}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.body ? { 'Content-Type': 'application/fhir+json' } : {}),
      ...headers,
    },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

describe('a supplier system acting for several organisations (CONTRACT §1, §2)', () => {
  it('lists every client with its organisations in clients.json, gp-system acting for both practices', () => {
    const { clients } = sandbox().clients;
    for (const c of clients) {
      expect(c.organisations[0]).toBe(c.odsCode);
    }
    const system = clientFor('gp-system');
    expect(system.organisations).toEqual(['A81001', 'A81002']);
  });

  it('reads and writes for each of its practices, tagged with the one it acts for, and is refused for a third', async () => {
    const token = await accessToken('gp-system');
    for (const practice of ['A81001', 'A81002']) {
      const nhs = newNhsNumber();
      const as = { [ORG_HEADER]: practice };
      const registered = await call(
        token,
        `/Patient/${nhs}`,
        { method: 'PUT', body: ukPatient(nhs, practice) },
        as,
      );
      expect(registered.status).toBe(201);
      const flag = {
        resourceType: 'Flag',
        status: 'active',
        code: { text: 'Hearing impaired: speak clearly' },
        subject: { reference: `Patient/${nhs}` },
      };
      const created = await call(token, '/Flag', { method: 'POST', body: flag }, as);
      expect(created.status).toBe(201);
      expect((created.body.meta as { tag: unknown[] }).tag).toEqual([{ system: ODS_SYSTEM, code: practice }]);
      const read = await call(token, `/Flag/${created.body.id}`, {}, as);
      expect(read.status).toBe(200);
      expect((read.body.meta as { tag: unknown[] }).tag).toEqual([{ system: ODS_SYSTEM, code: practice }]);
    }
    const third = await call(token, '/Organization/RX1', {}, { [ORG_HEADER]: 'RX1' });
    expect(third.status).toBe(403);
    expect(third.body.resourceType).toBe('OperationOutcome');
  });

  it('needs the organisation header from a client with several organisations (400), not from one with one', async () => {
    const missing = await call(await accessToken('gp-system'), '/Organization/A81001');
    expect(missing.status).toBe(400);
    expect(missing.body.resourceType).toBe('OperationOutcome');
    const single = await accessToken('gp');
    expect((await call(single, '/Organization/A81001')).status).toBe(200);
    expect((await call(single, '/Organization/A81001', {}, { [ORG_HEADER]: 'A81001' })).status).toBe(200);
    expect((await call(single, '/Organization/A81001', {}, { [ORG_HEADER]: 'A81002' })).status).toBe(403);
  });

  it('refuses a removed supplier system, its live token included, within 60 seconds', async () => {
    const clientId = `test-removed-${crypto.randomUUID().slice(0, 8)}`;
    const kid = `${clientId}-1`;
    const { privateKey, publicKey } = await generateKeyPair('RS512', {
      modulusLength: 2048,
      extractable: true,
    });
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS512', use: 'sig' };
    await saveSupplierSystem({
      clientId,
      name: 'Test supplier system to remove',
      role: 'gp',
      organisations: ['A81001', 'A81002'],
      scopes: ['system/*.cruds'],
      publicKeys: [publicJwk],
    });
    const tester = {
      ...clientFor('gp'),
      clientId,
      kid,
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS512' },
    };
    // The registry is reloaded within its cache time: the new system is let in once it has been.
    let token = '';
    await expect
      .poll(
        async () => {
          const response = await requestToken(await clientAssertion(tester));
          if (response.status === 200)
            token = ((await response.json()) as { access_token: string }).access_token;
          return response.status;
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toBe(200);
    const as = { [ORG_HEADER]: 'A81002' };
    expect((await call(token, '/Organization/A81002', {}, as)).status).toBe(200);

    await removeSupplierSystem(clientId);
    await expect
      .poll(async () => (await call(token, '/Organization/A81002', {}, as)).status, {
        timeout: 70_000,
        interval: 1000,
      })
      .toBe(401);
    expect((await requestToken(await clientAssertion(tester))).status).toBe(401);
  }, 180_000);
});
