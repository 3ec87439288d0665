import { beforeAll, describe, expect, it } from 'vitest';
import { EVENTUALLY_MS } from '../support/eventually.ts';
import { officialExample } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { registerPatient } from '../support/registration.ts';
import { sandbox } from '../support/sandbox-client.ts';

type AuditEvent = {
  id: string;
  subtype: { code: string }[];
  outcome: string;
  agent: {
    who: { identifier?: { system: string; value: string } };
    purposeOfUse: { coding: { system: string; code: string }[] }[];
  }[];
  entity: { what: { reference: string }; detail?: { type: string; valueString: string }[] }[];
};

const nhs = newNhsNumber();
let conditionId = '';

async function auditTrail(role: 'auditor' | 'gp' = 'auditor'): Promise<AuditEvent[]> {
  const response = await fhirFetch(role, `/AuditEvent?patient=Patient/${nhs}&_count=100`);
  expect(response.status).toBe(200);
  return ((response.body.entry ?? []) as { resource: AuditEvent }[]).map((e) => e.resource);
}

beforeAll(async () => {
  await registerPatient(nhs);
  const created = await fhirFetch('gp', '/Condition', {
    method: 'POST',
    body: { ...officialExample('condition-example.json'), subject: { reference: `Patient/${nhs}` } },
  });
  expect(created.status).toBe(201);
  conditionId = created.body.id as string;
});

describe('audit', () => {
  it('records every interaction with the record, refused ones included, naming client, organisation, purpose and patient', async () => {
    expect(
      (
        await fhirFetch('gp', `/Condition/${conditionId}`, {
          headers: { 'NHSD-End-User-Id': '555123456789' },
        })
      ).status,
    ).toBe(200);
    expect((await fhirFetch('community', `/Condition/${conditionId}`)).status).toBe(403);
    const trail = await auditTrail();
    const read = trail.find((a) => a.subtype[0]?.code === 'read' && a.outcome === '0');
    const refused = trail.find((a) => a.subtype[0]?.code === 'read' && a.outcome === '4');
    expect(read?.agent.map((a) => a.who.identifier?.value)).toEqual(['sandbox-gp', 'A81001', '555123456789']);
    expect(read?.agent[1]?.who.identifier?.system).toBe('https://fhir.nhs.uk/Id/ods-organization-code');
    expect(read?.agent[0]?.purposeOfUse[0]?.coding[0]).toEqual({
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
      code: 'TREAT',
    });
    expect(read?.entity.map((e) => e.what.reference)).toEqual([
      `Patient/${nhs}`,
      `Condition/${conditionId}/_history/1`,
    ]);
    expect(refused?.agent[1]?.who.identifier?.value).toBe('RX2');
    expect(trail.some((a) => a.subtype[0]?.code === 'create')).toBe(true);
  });

  it('opens the audit trail to the auditor and the registered practice, and to no one else', async () => {
    expect((await auditTrail('gp')).length).toBeGreaterThan(0);
    for (const role of ['acute', 'community', 'social-care'] as const) {
      expect((await fhirFetch(role, `/AuditEvent?patient=Patient/${nhs}`)).status).toBe(403);
    }
  });

  it('lets no one change or delete an audit entry through the API', async () => {
    const [entry] = await auditTrail();
    for (const method of ['PUT', 'DELETE'] as const) {
      const response = await fhirFetch('auditor', `/AuditEvent/${entry?.id}`, {
        method,
        ...(method === 'PUT' ? { body: entry } : {}),
      });
      expect(response.status).toBe(405);
    }
    expect((await fhirFetch('gp', '/AuditEvent', { method: 'POST', body: entry })).status).toBe(405);
  });

  it('records a refused change with outcome 4, naming the organisation refused and what it tried', async () => {
    // The acute trust (RX1) did not contribute the practice's Condition: CONTRACT §4 refuses the change (403) and audits it.
    const refused = await fhirFetch('acute', `/Condition/${conditionId}`, { method: 'DELETE' });
    expect(refused.status).toBe(403);
    const trail = await auditTrail();
    const entry = trail.find(
      (a) =>
        a.subtype[0]?.code === 'delete' && a.outcome === '4' && a.agent[1]?.who.identifier?.value === 'RX1',
    );
    expect(entry?.agent[1]?.who.identifier?.system).toBe('https://fhir.nhs.uk/Id/ods-organization-code');
    expect(entry?.entity[0]?.what.reference).toBe(`Patient/${nhs}`);
    // The Condition is still there, unchanged.
    expect((await fhirFetch('gp', `/Condition/${conditionId}`)).status).toBe(200);
  });
});

describe('break-glass', () => {
  const reason = 'Unresponsive in the emergency department; allergies unknown';

  it('needs a reason: ETREAT without NHSD-Break-Glass-Reason is 400', async () => {
    const response = await fhirFetch('community', `/Patient/${nhs}`, {
      headers: { 'NHSD-Purpose-Of-Use': 'ETREAT' },
    });
    expect(response.status).toBe(400);
    expect(response.body.resourceType).toBe('OperationOutcome');
  });

  it('is allowed, audited with its reason, and raises Access.BreakGlass through the outbox', async () => {
    const response = await fhirFetch('community', `/Patient/${nhs}/$everything`, {
      headers: { 'NHSD-Purpose-Of-Use': 'ETREAT', 'NHSD-Break-Glass-Reason': reason },
    });
    expect(response.status).toBe(200);
    const audit = (await auditTrail()).find((a) => a.entity[0]?.detail?.[0]?.valueString === reason);
    expect(audit?.agent[1]?.who.identifier?.value).toBe('RX2');
    expect(audit?.agent[0]?.purposeOfUse[0]?.coding[0]?.code).toBe('ETREAT');

    const breakGlass = async () => {
      const state = (await (await fetch(`${sandbox().url}/_sandbox/events`)).json()) as {
        published: { 'detail-type': string; detail: { patient: string; organisation: string } }[];
      };
      return state.published.find(
        (e) => e['detail-type'] === 'Access.BreakGlass' && e.detail.patient === `Patient/${nhs}`,
      );
    };
    await expect.poll(breakGlass, { timeout: EVENTUALLY_MS }).toBeDefined();
    expect((await breakGlass())?.detail.organisation).toBe('RX2');
  });
});

describe('paths that return data give nothing to an organisation without a relationship', () => {
  it.each([
    ['read', () => `/Condition/${conditionId}`],
    ['vread', () => `/Condition/${conditionId}/_history/1`],
    ['history', () => `/Condition/${conditionId}/_history`],
    ['search', () => `/Condition?patient=Patient/${nhs}`],
    ['$everything', () => `/Patient/${nhs}/$everything`],
    ['Patient read', () => `/Patient/${nhs}`],
    ['Patient search', () => `/Patient?_id=${nhs}`],
  ])('%s: 403 and an OperationOutcome', async (_name, path) => {
    const response = await fhirFetch('gp-other', path());
    expect(response.status).toBe(403);
    expect(response.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(response.body)).not.toContain('Testpatient');
  });

  it('paging links: a next link taken from an entitled caller gives nothing', async () => {
    for (let i = 0; i < 3; i++) {
      const created = await fhirFetch('gp', '/Condition', {
        method: 'POST',
        body: { ...officialExample('condition-example.json'), subject: { reference: `Patient/${nhs}` } },
      });
      expect(created.status).toBe(201);
    }
    const first = await fhirFetch('gp', `/Condition?patient=Patient/${nhs}&_count=1`);
    const next = (first.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'next')
      ?.url as string;
    const response = await fhirFetch('gp-other', next.slice(next.indexOf('/Condition')));
    expect([400, 403]).toContain(response.status);
    expect(response.body.entry).toBeUndefined();
  });

  it('batch reads: each GET entry is refused', async () => {
    const response = await fhirFetch('gp-other', '', {
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
    const entries = response.body.entry as { response: { status: string }; resource?: unknown }[];
    expect(entries.map((e) => e.response.status)).toEqual(['403', '403']);
    expect(entries.every((e) => e.resource === undefined)).toBe(true);
  });

  it('$validate returns an OperationOutcome only, never record data', async () => {
    const response = await fhirFetch('gp-other', '/Condition/$validate?mode=create', {
      method: 'POST',
      body: { ...officialExample('condition-example.json'), subject: { reference: `Patient/${nhs}` } },
    });
    expect(response.status).toBe(200);
    expect(response.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(response.body)).not.toContain('Testpatient');
  });
});
