import { describe, expect, it } from 'vitest';
import type { OrganisationRole } from '#shared/access/supplier-client';
import { openCareContext } from '../support/care-contexts.ts';
import { sha1Base64 } from '../support/documents.ts';
import { officialExample, ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';

/**
 * Issue 12's findings on deletion and on "hidden means absent", each as an attacker tried it over HTTP.
 * Expected statuses come from CONTRACT §3 and §4. The sandbox's organisations: gp A81001, gp-other A81002,
 * acute RX1, community RX2. Each test registers its own patients.
 */
const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const labelled = (code: 'R' | 'V') => ({ security: [{ system: CONFIDENTIALITY, code }] });

type AuditEvent = {
  subtype: { code: string }[];
  outcome: string;
  agent: {
    who: { identifier?: { system: string; value: string } };
    role?: { coding: { system: string; code: string }[] }[];
  }[];
};

async function registered(practice = 'A81001'): Promise<string> {
  const nhs = newNhsNumber();
  const put = await fhirFetch('gp', `/Patient/${nhs}`, { method: 'PUT', body: ukPatient(nhs, practice) });
  expect(put.status).toBe(201);
  return nhs;
}

function condition(nhs: string, meta?: object, note = 'Ordinary condition') {
  return {
    ...officialExample('condition-example.json'),
    subject: { reference: `Patient/${nhs}` },
    note: [{ text: note }],
    ...(meta ? { meta } : {}),
  };
}

/** The Encounter each organisation recorded as its care context, by `role|nhs`. */
const careContexts = new Map<string, string>();

/**
 * Creates a resource as `role`, first recording the care context that gives that organisation a relationship
 * with the patient (CONTRACT §4: every write but a care context's needs one), once per organisation and patient.
 */
async function create(role: OrganisationRole, body: Record<string, unknown>): Promise<string> {
  const reference = ((body.subject ?? body.patient) as { reference?: string } | undefined)?.reference ?? '';
  const nhs = /Patient\/(\d{10})$/.exec(reference)?.[1];
  if (nhs && role !== 'gp' && body.resourceType !== 'Encounter' && !careContexts.has(`${role}|${nhs}`)) {
    careContexts.set(`${role}|${nhs}`, await openCareContext(role, nhs));
  }
  const response = await fhirFetch(role, `/${body.resourceType}`, { method: 'POST', body });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

function textDocument(nhs: string, text: string, extra: Record<string, unknown> = {}) {
  const bytes = Buffer.from(text);
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    type: { coding: [{ system: 'http://snomed.info/sct', code: '373942005', display: 'Discharge summary' }] },
    subject: { reference: `Patient/${nhs}` },
    content: [
      {
        attachment: {
          contentType: 'text/plain',
          data: bytes.toString('base64'),
          size: bytes.length,
          hash: sha1Base64(bytes),
        },
      },
    ],
    ...extra,
  };
}

/** An open outpatient Encounter the organisation records: its care context, hence its relationship (CONTRACT §4). */
async function careContext(role: OrganisationRole, nhs: string): Promise<void> {
  await create(role, {
    resourceType: 'Encounter',
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: `Patient/${nhs}` },
  });
}

async function auditTrail(nhs: string): Promise<AuditEvent[]> {
  const response = await fhirFetch('auditor', `/AuditEvent?patient=Patient/${nhs}&_count=100`);
  expect(response.status).toBe(200);
  return ((response.body.entry ?? []) as { resource: AuditEvent }[]).map((e) => e.resource);
}

const binaryPath = (url: string) => url.slice(url.indexOf('/Binary/'));

describe('finding 1: a deleted resource is never taken over', () => {
  it('a very restricted Condition, once deleted, is 404 to others on PUT and history, 410 to its contributor', async () => {
    const nhs = await registered();
    await careContext('acute', nhs);
    const id = await create('gp', condition(nhs, labelled('V'), 'Very restricted text'));
    expect((await fhirFetch('gp', `/Condition/${id}`, { method: 'DELETE' })).status).toBe(204);

    // With a relationship, the hidden id is absent (404); without one, the record is closed (403).
    for (const [role, status] of [
      ['acute', 404],
      ['community', 403],
    ] as const) {
      const takeOver = await fhirFetch(role, `/Condition/${id}`, {
        method: 'PUT',
        body: { ...condition(nhs, undefined, 'Taken over'), id },
      });
      expect(takeOver.status).toBe(status);
      expect(JSON.stringify(takeOver.body)).not.toContain('A81001');
      const history = await fhirFetch(role, `/Condition/${id}/_history/1`);
      expect(history.status).toBe(status);
      expect(JSON.stringify(history.body)).not.toContain('Very restricted text');
    }

    const revive = await fhirFetch('gp', `/Condition/${id}`, {
      method: 'PUT',
      body: { ...condition(nhs, labelled('V'), 'Back again'), id },
    });
    expect(revive.status).toBe(410);
    expect((await fhirFetch('gp', `/Condition/${id}`)).status).toBe(410);
  });

  it('a deleted DocumentReference stays deleted and its Binary stays gone', async () => {
    const nhs = await registered();
    await careContext('acute', nhs);
    const created = await fhirFetch('gp', '/DocumentReference', {
      method: 'POST',
      body: textDocument(nhs, 'A letter only the GP wrote', { meta: labelled('V') }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const content = created.body.content as { attachment: { url: string } }[];
    const binary = binaryPath(content[0]?.attachment.url as string);
    expect((await fhirFetch('gp', `/DocumentReference/${id}`, { method: 'DELETE' })).status).toBe(204);

    const takeOver = await fhirFetch('acute', `/DocumentReference/${id}`, {
      method: 'PUT',
      body: {
        ...textDocument(nhs, ''),
        id,
        content: [{ attachment: { contentType: 'text/plain', url: content[0]?.attachment.url } }],
      },
    });
    expect(takeOver.status).toBe(404);
    expect((await fhirFetch('acute', binary)).status).toBe(404);
    expect((await fhirFetch('gp', binary)).status).toBe(410);
  });
});

describe('finding 2 and finding 10: a Patient is never deleted through the API', () => {
  it('DELETE /Patient is 405, and another practice cannot take the record over', async () => {
    const nhs = await registered();
    const deleted = await fhirFetch('gp', `/Patient/${nhs}`, { method: 'DELETE' });
    expect(deleted.status).toBe(405);
    expect(deleted.body.resourceType).toBe('OperationOutcome');

    const takeOver = await fhirFetch('gp-other', `/Patient/${nhs}`, {
      method: 'PUT',
      body: ukPatient(nhs, 'A81002'),
    });
    expect(takeOver.status).toBe(403);
    expect(JSON.stringify(takeOver.body)).not.toContain('A81001');
    expect((await fhirFetch('gp', `/Patient/${nhs}`)).status).toBe(200);
    expect((await fhirFetch('gp-other', `/Patient/${nhs}/_history`)).status).toBe(403);
  });

  it('a transaction cannot DELETE a Patient and POST a Condition for it in one go: 405, nothing changes', async () => {
    const nhs = await registered();
    const response = await fhirFetch('gp', '', {
      method: 'POST',
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { request: { method: 'DELETE', url: `Patient/${nhs}` } },
          { resource: condition(nhs), request: { method: 'POST', url: 'Condition' } },
        ],
      },
    });
    expect(response.status).toBe(405);
    expect((await fhirFetch('gp', `/Patient/${nhs}`)).status).toBe(200);
    const conditions = await fhirFetch('gp', `/Condition?patient=Patient/${nhs}`);
    expect(conditions.body.total).toBe(0);
  });

  it('a batch entry that DELETEs a Patient is 405', async () => {
    const nhs = await registered();
    const response = await fhirFetch('gp', '', {
      method: 'POST',
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [{ request: { method: 'DELETE', url: `Patient/${nhs}` } }],
      },
    });
    const entries = response.body.entry as { response: { status: string } }[];
    expect(entries.map((e) => e.response.status)).toEqual(['405']);
    expect((await fhirFetch('gp', `/Patient/${nhs}`)).status).toBe(200);
  });
});

describe("finding 4: the auditor always reaches a patient's audit trail", () => {
  it('after an attempt to delete the Patient, the trail is still there, the attempt in it', async () => {
    const nhs = await registered();
    await fhirFetch('gp', `/Patient/${nhs}`, { method: 'DELETE' });
    const trail = await auditTrail(nhs);
    expect(trail.some((a) => a.subtype[0]?.code === 'create' && a.outcome === '0')).toBe(true);
  });

  it('for an NHS number never registered, the auditor gets a trail (of the refused attempts), not 404', async () => {
    const nhs = newNhsNumber();
    await fhirFetch('acute', `/Patient/${nhs}`);
    const trail = await auditTrail(nhs);
    expect(trail.some((a) => a.subtype[0]?.code === 'read' && a.outcome === '4')).toBe(true);
  });
});

describe('finding 5: paging cursors carry nothing a caller can read, and pages are filled', () => {
  it('$everything pages one visible resource at a time, and no cursor names a hidden one', async () => {
    const nhs = await registered();
    const visible = [nhs, await create('gp', condition(nhs)), await create('acute', condition(nhs))];
    const hidden: string[] = [];
    for (let i = 0; i < 4; i++)
      hidden.push(await create('acute', condition(nhs, labelled(i % 2 ? 'R' : 'V'))));

    const seen: string[] = [];
    const cursors: string[] = [];
    let path: string | undefined = `/Patient/${nhs}/$everything?_count=1`;
    for (let page = 0; path && page < 10; page++) {
      const response = await fhirFetch('gp', path);
      expect(response.status).toBe(200);
      const entries = (response.body.entry ?? []) as { resource: { id: string } }[];
      expect(entries).toHaveLength(1);
      seen.push(...entries.map((e) => e.resource.id));
      const next = (response.body.link as { relation: string; url: string }[]).find(
        (l) => l.relation === 'next',
      );
      path = next ? next.url.slice(next.url.indexOf('/Patient/')) : undefined;
      if (next) cursors.push(new URL(next.url).searchParams.get('_cursor') as string);
    }
    // The trust's care context (its open Encounter) is part of the record the GP sees too.
    visible.push(careContexts.get(`acute|${nhs}`) as string);
    expect(seen.sort()).toEqual([...visible].sort());
    for (const cursor of cursors) {
      const readable = [
        cursor,
        ...cursor.split('.').map((p) => Buffer.from(p, 'base64url').toString('latin1')),
      ];
      for (const text of readable) {
        expect(text).not.toContain('Condition');
        for (const id of [...hidden, ...visible]) expect(text).not.toContain(id);
      }
    }
  });

  it('a search cursor carries no id either', async () => {
    const nhs = await registered();
    const ids = [await create('gp', condition(nhs)), await create('gp', condition(nhs))];
    const response = await fhirFetch('gp', `/Condition?patient=Patient/${nhs}&_count=1`);
    const next = (response.body.link as { relation: string; url: string }[]).find(
      (l) => l.relation === 'next',
    );
    const cursor = new URL(next?.url as string).searchParams.get('_cursor') as string;
    for (const part of cursor.split('.')) {
      const text = Buffer.from(part, 'base64url').toString('latin1');
      for (const id of ids) expect(text).not.toContain(id);
    }
  });
});

describe('finding 6: no existence or contributor oracle', () => {
  it("another organisation's restricted Condition is the same 404 on every path, naming no one", async () => {
    const nhs = await registered();
    const id = await create('acute', condition(nhs, labelled('R')));
    const unknown = crypto.randomUUID();
    const paths = (target: string) => [
      fhirFetch('gp', `/Condition/${target}`),
      fhirFetch('gp', `/Condition/${target}/_history`),
      fhirFetch('gp', `/Condition/${target}/_history/1`),
      fhirFetch('gp', `/Condition/${target}`, { method: 'PUT', body: { ...condition(nhs), id: target } }),
      fhirFetch('gp', `/Condition/${target}`, { method: 'DELETE' }),
    ];
    const hiddenAnswers = await Promise.all(paths(id));
    const absentAnswers = await Promise.all(paths(unknown));
    expect(hiddenAnswers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    expect(absentAnswers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    for (const answer of hiddenAnswers) expect(JSON.stringify(answer.body)).not.toContain('RX1');
  });

  it('a deleted hidden resource is 404, not 410', async () => {
    const nhs = await registered();
    const id = await create('acute', condition(nhs, labelled('V')));
    expect((await fhirFetch('acute', `/Condition/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fhirFetch('gp', `/Condition/${id}`)).status).toBe(404);
    expect((await fhirFetch('acute', `/Condition/${id}`)).status).toBe(410);
  });

  it('replacing a hidden document answers as replacing one that does not exist', async () => {
    const nhs = await registered();
    await openCareContext('acute', nhs);
    const hidden = await fhirFetch('acute', '/DocumentReference', {
      method: 'POST',
      body: textDocument(nhs, 'Restricted letter', { meta: labelled('R') }),
    });
    expect(hidden.status).toBe(201);
    const replacing = (target: string) =>
      fhirFetch('gp', '/DocumentReference', {
        method: 'POST',
        body: textDocument(nhs, 'Newer letter', {
          relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${target}` } }],
        }),
      });
    const ofHidden = await replacing(hidden.body.id as string);
    const ofNone = await replacing(crypto.randomUUID());
    expect(ofHidden.status).toBe(ofNone.status);
    expect(ofHidden.status).toBe(422);
    expect(JSON.stringify(ofHidden.body)).not.toContain('RX1');
  });

  it('a visible resource of another organisation is 403 to change, naming no organisation', async () => {
    const nhs = await registered();
    const id = await create('gp', condition(nhs));
    const update = await fhirFetch('acute', `/Condition/${id}`, {
      method: 'PUT',
      headers: { 'If-Match': 'W/"1"' },
      body: { ...condition(nhs), id },
    });
    expect(update.status).toBe(403);
    expect(JSON.stringify(update.body)).not.toContain('A81001');
  });

  it('$validate?mode=create answers an unrelated organisation the same for registered and unregistered patients', async () => {
    const nhs = await registered();
    const validate = (patient: string) =>
      fhirFetch('community', '/Condition/$validate?mode=create', {
        method: 'POST',
        body: condition(patient),
      });
    const known = await validate(nhs);
    const unknown = await validate(newNhsNumber());
    expect(known.status).toBe(200);
    expect(known.body.issue).toEqual(unknown.body.issue);
  });

  it('GET /Patient and Patient search answer the same for "not registered" and "no relationship"', async () => {
    const nhs = await registered();
    const never = newNhsNumber();
    const read = [
      await fhirFetch('community', `/Patient/${nhs}`),
      await fhirFetch('community', `/Patient/${never}`),
    ];
    expect(read.map((r) => r.status)).toEqual([403, 403]);
    expect(read[0]?.body.issue).toEqual(read[1]?.body.issue);
    const search = [
      await fhirFetch('community', `/Patient?_id=${nhs}`),
      await fhirFetch('community', `/Patient?_id=${never}`),
    ];
    expect(search.map((r) => r.status)).toEqual([403, 403]);
    expect(search[0]?.body.issue).toEqual(search[1]?.body.issue);
  });
});

describe('finding 8: X-Request-ID replays writes only', () => {
  it('a batch of GETs is authorised and audited afresh each time it is sent', async () => {
    // gp-other registers the patient at its own practice: its only relationship is the registration.
    const nhs = newNhsNumber();
    const put = await fhirFetch('gp-other', `/Patient/${nhs}`, {
      method: 'PUT',
      body: ukPatient(nhs, 'A81002'),
    });
    expect(put.status).toBe(201);
    const requestId = crypto.randomUUID();
    const batch = () =>
      fhirFetch('gp-other', '', {
        method: 'POST',
        headers: { 'X-Request-ID': requestId },
        body: {
          resourceType: 'Bundle',
          type: 'batch',
          entry: [{ request: { method: 'GET', url: `Patient/${nhs}` } }],
        },
      });
    const first = await batch();
    expect((first.body.entry as { response: { status: string } }[])[0]?.response.status).toBe('200');

    // The registered practice moves the registration to A81001: gp-other's relationship ends with it.
    const current = await fhirFetch('gp-other', `/Patient/${nhs}`);
    const moved = await fhirFetch('gp-other', `/Patient/${nhs}`, {
      method: 'PUT',
      headers: { 'If-Match': current.headers.get('etag') as string },
      body: ukPatient(nhs, 'A81001'),
    });
    expect(moved.status).toBe(200);

    const again = await batch();
    const entry = (again.body.entry as { response: { status: string }; resource?: unknown }[])[0];
    expect(entry?.response.status).toBe('403');
    expect(entry?.resource).toBeUndefined();
    const reads = (await auditTrail(nhs)).filter(
      (a) => a.subtype[0]?.code === 'read' && a.agent[1]?.who.identifier?.value === 'A81002',
    );
    // The first batch and gp-other's own read before moving the registration succeeded; the replayed batch
    // was authorised afresh, refused and audited as refused.
    expect(reads.map((a) => a.outcome).sort()).toEqual(['0', '0', '4']);
  });
});

describe('audit names the person: NHSD-End-User-Id and NHSD-End-User-Role', () => {
  it('the AuditEvent has an agent for the person, with their SDS user id and role', async () => {
    const nhs = await registered();
    await fhirFetch('gp', `/Patient/${nhs}`, {
      headers: { 'NHSD-End-User-Id': '555123456789', 'NHSD-End-User-Role': 'R8000' },
    });
    const read = (await auditTrail(nhs)).find((a) => a.subtype[0]?.code === 'read');
    const person = read?.agent.find((a) => a.who.identifier?.system === 'https://fhir.nhs.uk/Id/sds-user-id');
    expect(person?.who.identifier?.value).toBe('555123456789');
    expect(person?.role?.[0]?.coding[0]?.code).toBe('R8000');
  });
});
