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
 *
 * Each role's relationship with the patient: `gp` is the registered practice; `acute` holds an open Encounter;
 * `community` holds an Encounter that ended (status `finished`, `period.end` in January 2025) longer ago than
 * the 30-day grace period, so no relationship; `social-care` is the performer of the GP's active referral
 * (ServiceRequest); `gp-other` has none; the `auditor`'s scopes are for the audit trail only.
 */
type Target =
  | 'patient'
  | 'consent'
  | 'gpCondition'
  | 'acuteCondition'
  | 'gpRestricted'
  | 'acuteVeryRestricted'
  | 'acuteEncounter'
  | 'communityEncounter'
  | 'referral';
type Record = 'open' | 'objection';
type Purpose = 'TREAT' | 'ETREAT';
type Visible = Target[] | 'forbidden';

// The GP system serving both practices acts as one of them per request: test/e2e/supplier-systems.test.ts.
type MatrixRole = Exclude<OrganisationRole, 'gp-system'>;
const ROLES: MatrixRole[] = ['gp', 'acute', 'community', 'gp-other', 'social-care', 'auditor', 'analyst'];

/** What everyone may see under break-glass: all but the restricted, and its own restricted. */
const SHARED: Target[] = [
  'patient',
  'gpCondition',
  'acuteCondition',
  'acuteEncounter',
  'communityEncounter',
  'referral',
];

const EXPECTED: { [R in Record]: { [P in Purpose]: { [role in MatrixRole]: Visible } } } = {
  open: {
    TREAT: {
      gp: [...SHARED, 'gpRestricted'],
      acute: [...SHARED, 'acuteVeryRestricted'],
      community: 'forbidden',
      'gp-other': 'forbidden',
      'social-care': SHARED,
      auditor: 'forbidden',
      // The ICB's analysts export (CONTRACT §8) and do nothing else, break-glass included.
      analyst: 'forbidden',
    },
    ETREAT: {
      gp: [...SHARED, 'gpRestricted'],
      acute: [...SHARED, 'acuteVeryRestricted'],
      community: SHARED,
      'gp-other': SHARED,
      'social-care': SHARED,
      auditor: 'forbidden',
      analyst: 'forbidden',
    },
  },
  objection: {
    TREAT: {
      gp: ['patient', 'consent', 'gpCondition', 'gpRestricted', 'referral'],
      acute: ['patient', 'consent', 'acuteCondition', 'acuteVeryRestricted', 'acuteEncounter'],
      community: 'forbidden',
      'gp-other': 'forbidden',
      'social-care': ['patient', 'consent'],
      auditor: 'forbidden',
      analyst: 'forbidden',
    },
    ETREAT: {
      gp: [...SHARED, 'consent', 'gpRestricted'],
      acute: [...SHARED, 'consent', 'acuteVeryRestricted'],
      community: [...SHARED, 'consent'],
      'gp-other': [...SHARED, 'consent'],
      'social-care': [...SHARED, 'consent'],
      auditor: 'forbidden',
      analyst: 'forbidden',
    },
  },
};

const records = {} as {
  [R in Record | 'writes']: { nhs: string; ids: Partial<{ [T in Target]: string }> };
};

function labelled(code: 'R' | 'V') {
  return { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code }] };
}

async function create(role: OrganisationRole, body: object): Promise<string> {
  const type = (body as { resourceType: string }).resourceType;
  const response = await fhirFetch(role, `/${type}`, { method: 'POST', body });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

const encounter = (nhs: string) => ({
  resourceType: 'Encounter',
  status: 'in-progress',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  subject: { reference: `Patient/${nhs}` },
  period: { start: '2025-01-06T09:00:00Z' },
});

async function buildRecord(kind: Record | 'writes') {
  const nhs = newNhsNumber();
  await registerPatient(nhs);
  const condition = (meta?: object) => ({
    ...officialExample('condition-example.json'),
    subject: { reference: `Patient/${nhs}` },
    ...(meta ? { meta } : {}),
  });
  const ids: Partial<{ [T in Target]: string }> = { patient: nhs };
  ids.acuteEncounter = await create('acute', encounter(nhs));
  // The community trust's care context, recorded open, then ended longer ago than the grace period.
  ids.communityEncounter = await create('community', encounter(nhs));
  const ended = await fhirFetch('community', `/Encounter/${ids.communityEncounter}`, {
    method: 'PUT',
    headers: { 'If-Match': 'W/"1"' },
    body: {
      ...encounter(nhs),
      id: ids.communityEncounter,
      status: 'finished',
      period: { start: '2025-01-06T09:00:00Z', end: '2025-01-31T17:00:00Z' },
    },
  });
  expect(ended.status).toBe(200);
  ids.referral = await create('gp', {
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'order',
    subject: { reference: `Patient/${nhs}` },
    performer: [{ reference: 'Organization/LA101' }],
  });
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
  acuteEncounter: 'Encounter',
  communityEncounter: 'Encounter',
  referral: 'ServiceRequest',
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
  await buildRecord('writes');
}, 120_000);

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
    // The referral to LA101 gives it a notice Task in its own time (issue 18): the service's, not the matrix's.
    const careNotice = (r: { resourceType?: string; code?: { coding?: { system?: string }[] } }) =>
      r.resourceType === 'Task' &&
      r.code?.coding?.[0]?.system === 'https://shared-care-record.org/fhir/CodeSystem/care-notice';
    const found = (
      (response.body.entry ?? []) as {
        resource: { id: string; resourceType: string; code?: { coding?: { system?: string }[] } };
      }[]
    )
      .filter((e) => !careNotice(e.resource))
      .map((e) => e.resource.id)
      .sort();
    expect(found).toEqual(expected.map((t) => ids[t] as string).sort());
  });
});

/**
 * Writes by relationship, on a record of their own: contributing (a Condition), recording an objection (a
 * deny Consent), and updating and deleting what the organisation contributed (its own Condition when it may
 * create one, else the community trust's own ended Encounter, else the GP's Condition). Break-glass allows
 * reading only: it never makes a write possible.
 */
const BREAK_GLASS = {
  'NHSD-Purpose-Of-Use': 'ETREAT',
  'NHSD-Break-Glass-Reason': 'Unconscious in ED, no history available',
};
type WriteCell = { write: number; consent: number; update: number; delete: number };
const WRITES: { [role in MatrixRole]: WriteCell } = {
  gp: { write: 201, consent: 201, update: 200, delete: 204 },
  acute: { write: 201, consent: 201, update: 200, delete: 204 },
  community: { write: 403, consent: 403, update: 403, delete: 403 },
  'gp-other': { write: 403, consent: 403, update: 403, delete: 403 },
  'social-care': { write: 201, consent: 201, update: 200, delete: 204 },
  auditor: { write: 403, consent: 403, update: 403, delete: 403 },
  analyst: { write: 403, consent: 403, update: 403, delete: 403 },
};

describe.each(
  (['TREAT', 'ETREAT'] as Purpose[]).flatMap((purpose) => ROLES.map((role) => ({ purpose, role }))),
)('writes, $role, $purpose', ({ purpose, role }) => {
  const headers: { [k: string]: string } =
    purpose === 'ETREAT'
      ? {
          'NHSD-Purpose-Of-Use': 'ETREAT',
          'NHSD-Break-Glass-Reason': 'Unconscious in ED, no history available',
        }
      : {};
  const expected = WRITES[role];

  it('write, Consent, update and delete answer as its relationship allows', async () => {
    const { nhs, ids } = records.writes;
    const condition = {
      ...officialExample('condition-example.json'),
      subject: { reference: `Patient/${nhs}` },
    };
    const written = await fhirFetch(role, '/Condition', { method: 'POST', body: condition, headers });
    expect(`write ${written.status}`).toBe(`write ${expected.write}`);
    const consent = await fhirFetch(role, '/Consent', {
      method: 'POST',
      headers,
      body: {
        ...officialExample('consent-example.json'),
        patient: { reference: `Patient/${nhs}` },
        provision: { type: 'deny' },
      },
    });
    expect(`Consent ${consent.status}`).toBe(`Consent ${expected.consent}`);
    const [owner, path] =
      written.status === 201
        ? [role, `/Condition/${written.body.id}`]
        : role === 'community'
          ? ['community' as const, `/Encounter/${ids.communityEncounter}`]
          : ['gp' as const, `/Condition/${ids.gpCondition}`];
    // The community trust has no relationship left, and this record's objections hide its Encounter from
    // others, so it looks at its own Encounter by break-glass.
    const readAsOwner = () => fhirFetch(owner, path, owner === 'community' ? { headers: BREAK_GLASS } : {});
    const current = await readAsOwner();
    expect(current.status).toBe(200);
    const version = `W/"${(current.body.meta as { versionId: string }).versionId}"`;
    const updated = await fhirFetch(role, path, {
      method: 'PUT',
      headers: { ...headers, 'If-Match': version },
      body: {
        ...current.body,
        identifier: [{ system: 'https://example.org/id', value: `changed-by-${role}` }],
      },
    });
    expect(`update ${updated.status}`).toBe(`update ${expected.update}`);
    const after = await readAsOwner();
    const deleted = await fhirFetch(role, path, {
      method: 'DELETE',
      headers: { ...headers, 'If-Match': `W/"${(after.body.meta as { versionId: string }).versionId}"` },
    });
    expect(`delete ${deleted.status}`).toBe(`delete ${expected.delete}`);
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

  it('contributing never creates a relationship: without one, a contribution is refused', async () => {
    const nhs = newNhsNumber();
    await registerPatient(nhs);
    expect((await fhirFetch('community', `/Patient/${nhs}`)).status).toBe(403);
    const refused = await fhirFetch('community', '/Condition', {
      method: 'POST',
      body: { ...officialExample('condition-example.json'), subject: { reference: `Patient/${nhs}` } },
    });
    expect(refused.status).toBe(403);
    expect((await fhirFetch('community', `/Patient/${nhs}`)).status).toBe(403);
  });
});
