import { beforeAll, describe, expect, it } from 'vitest';
import type { OrganisationRole } from '#shared/access/supplier-client';
import { officialExample } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { registerPatient } from '../support/registration.ts';

/**
 * CONTRACT §4 as a table, asserted cell by cell over HTTP: for each record (open, or with the patient's
 * objection to sharing), role and purpose of use, which resources each interaction shows. The expectations
 * are written out by hand from the contract, not computed by the policy under test.
 */
type Target =
  | 'patient'
  | 'consent'
  | 'gpCondition'
  | 'acuteCondition'
  | 'gpRestricted'
  | 'acuteVeryRestricted';
type Record = 'open' | 'objection';
type Purpose = 'TREAT' | 'ETREAT';
type Visible = Target[] | 'forbidden';

const ROLES: OrganisationRole[] = ['gp', 'acute', 'community', 'gp-other', 'social-care', 'auditor'];

const EXPECTED: { [R in Record]: { [P in Purpose]: { [role in OrganisationRole]: Visible } } } = {
  open: {
    TREAT: {
      gp: ['patient', 'gpCondition', 'acuteCondition', 'gpRestricted'],
      acute: ['patient', 'gpCondition', 'acuteCondition', 'acuteVeryRestricted'],
      community: 'forbidden',
      'gp-other': 'forbidden',
      'social-care': 'forbidden',
      auditor: 'forbidden',
    },
    ETREAT: {
      gp: ['patient', 'gpCondition', 'acuteCondition', 'gpRestricted'],
      acute: ['patient', 'gpCondition', 'acuteCondition', 'acuteVeryRestricted'],
      community: ['patient', 'gpCondition', 'acuteCondition'],
      'gp-other': ['patient', 'gpCondition', 'acuteCondition'],
      'social-care': ['patient', 'gpCondition', 'acuteCondition'],
      auditor: 'forbidden',
    },
  },
  objection: {
    TREAT: {
      gp: ['patient', 'consent', 'gpCondition', 'gpRestricted'],
      acute: ['patient', 'consent', 'acuteCondition', 'acuteVeryRestricted'],
      community: 'forbidden',
      'gp-other': 'forbidden',
      'social-care': 'forbidden',
      auditor: 'forbidden',
    },
    ETREAT: {
      gp: ['patient', 'consent', 'gpCondition', 'acuteCondition', 'gpRestricted'],
      acute: ['patient', 'consent', 'gpCondition', 'acuteCondition', 'acuteVeryRestricted'],
      community: ['patient', 'consent', 'gpCondition', 'acuteCondition'],
      'gp-other': ['patient', 'consent', 'gpCondition', 'acuteCondition'],
      'social-care': ['patient', 'consent', 'gpCondition', 'acuteCondition'],
      auditor: 'forbidden',
    },
  },
};

const records = {} as { [R in Record]: { nhs: string; ids: Partial<{ [T in Target]: string }> } };

function labelled(code: 'R' | 'V') {
  return { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code }] };
}

async function create(role: OrganisationRole, body: object): Promise<string> {
  const type = (body as { resourceType: string }).resourceType;
  const response = await fhirFetch(role, `/${type}`, { method: 'POST', body });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

async function buildRecord(kind: Record) {
  const nhs = newNhsNumber();
  await registerPatient(nhs);
  const condition = (meta?: object) => ({
    ...officialExample('condition-example.json'),
    subject: { reference: `Patient/${nhs}` },
    ...(meta ? { meta } : {}),
  });
  const ids: Partial<{ [T in Target]: string }> = { patient: nhs };
  ids.gpCondition = await create('gp', condition());
  ids.acuteCondition = await create('acute', condition());
  ids.gpRestricted = await create('gp', condition(labelled('R')));
  ids.acuteVeryRestricted = await create('acute', condition(labelled('V')));
  if (kind === 'objection') {
    ids.consent = await create('gp', {
      ...officialExample('consent-example.json'),
      patient: { reference: `Patient/${nhs}` },
      provision: { type: 'deny' },
    });
  }
  records[kind] = { nhs, ids };
}

const PATH: { [T in Target]: string } = {
  patient: 'Patient',
  consent: 'Consent',
  gpCondition: 'Condition',
  acuteCondition: 'Condition',
  gpRestricted: 'Condition',
  acuteVeryRestricted: 'Condition',
};

beforeAll(async () => {
  await buildRecord('open');
  await buildRecord('objection');
});

const cells = (['open', 'objection'] as Record[]).flatMap((record) =>
  (['TREAT', 'ETREAT'] as Purpose[]).flatMap((purpose) => ROLES.map((role) => ({ record, purpose, role }))),
);

describe.each(cells)('$record record, $role, $purpose', ({ record, purpose, role }) => {
  const headers: { [k: string]: string } =
    purpose === 'ETREAT'
      ? {
          'NHSD-Purpose-Of-Use': 'ETREAT',
          'NHSD-Break-Glass-Reason': 'Unconscious in ED, no history available',
        }
      : {};
  const expected = EXPECTED[record][purpose][role];
  const targets = () => Object.entries(records[record].ids) as [Target, string][];

  it('read, vread and history: 200 for what it may see, 404 for what is hidden, 403 without access', async () => {
    for (const [target, id] of targets()) {
      const status = expected === 'forbidden' ? 403 : expected.includes(target) ? 200 : 404;
      for (const path of [
        `/${PATH[target]}/${id}`,
        `/${PATH[target]}/${id}/_history/1`,
        `/${PATH[target]}/${id}/_history`,
      ]) {
        const response = await fhirFetch(role, path, { headers });
        expect(`${path} ${response.status}`).toBe(`${path} ${status}`);
        if (status !== 200) expect(response.body.resourceType).toBe('OperationOutcome');
      }
    }
  });

  it('search finds exactly what it may see', async () => {
    const { nhs, ids } = records[record];
    const conditions = await fhirFetch(role, `/Condition?patient=Patient/${nhs}&_count=100`, { headers });
    if (expected === 'forbidden') {
      expect(conditions.status).toBe(403);
      return;
    }
    const found = ((conditions.body.entry ?? []) as { resource: { id: string } }[])
      .map((e) => e.resource.id)
      .sort();
    const visible = expected
      .filter((t) => PATH[t] === 'Condition')
      .map((t) => ids[t] as string)
      .sort();
    expect(found).toEqual(visible);
  });

  it('$everything returns exactly what it may see', async () => {
    const { nhs, ids } = records[record];
    const response = await fhirFetch(role, `/Patient/${nhs}/$everything?_count=100`, { headers });
    if (expected === 'forbidden') {
      expect(response.status).toBe(403);
      expect(response.body.entry).toBeUndefined();
      return;
    }
    const found = ((response.body.entry ?? []) as { resource: { id: string } }[])
      .map((e) => e.resource.id)
      .sort();
    expect(found).toEqual(expected.map((t) => ids[t] as string).sort());
  });
});

describe('changes: only the contributor, within its scopes', () => {
  it.each([
    ['gp updates its own Condition', 'gp', 'gp', 'PUT', 200],
    ['acute updates the GP’s Condition', 'acute', 'gp', 'PUT', 403],
    ['acute deletes the GP’s Condition', 'acute', 'gp', 'DELETE', 403],
    ['community (no relationship) deletes the GP’s Condition', 'community', 'gp', 'DELETE', 403],
    ['gp deletes its own Condition', 'gp', 'gp', 'DELETE', 204],
  ] as const)('%s: %s', async (_name, actor, owner, method, status) => {
    const nhs = newNhsNumber();
    await registerPatient(nhs);
    const id = await create(owner, {
      ...officialExample('condition-example.json'),
      subject: { reference: `Patient/${nhs}` },
    });
    const current = await fhirFetch(owner, `/Condition/${id}`);
    const response = await fhirFetch(actor, `/Condition/${id}`, {
      method,
      ...(method === 'PUT' ? { body: { ...current.body, note: [{ text: 'changed' }] } } : {}),
      headers: { 'If-Match': 'W/"1"' },
    });
    expect(response.status).toBe(status);
    const after = await fhirFetch(owner, `/Condition/${id}`);
    expect(after.status).toBe(status === 204 ? 410 : 200);
    if (status === 403) expect(after.body.meta).toMatchObject({ versionId: '1' });
  });

  it('the auditor, whose scopes are for the audit trail, cannot contribute', async () => {
    const nhs = newNhsNumber();
    await registerPatient(nhs);
    const response = await fhirFetch('auditor', '/Condition', {
      method: 'POST',
      body: { ...officialExample('condition-example.json'), subject: { reference: `Patient/${nhs}` } },
    });
    expect(response.status).toBe(403);
  });

  it('contributing creates the relationship: an organisation may then read the record', async () => {
    const nhs = newNhsNumber();
    await registerPatient(nhs);
    expect((await fhirFetch('community', `/Patient/${nhs}`)).status).toBe(403);
    await create('community', {
      ...officialExample('condition-example.json'),
      subject: { reference: `Patient/${nhs}` },
    });
    expect((await fhirFetch('community', `/Patient/${nhs}`)).status).toBe(200);
  });
});
