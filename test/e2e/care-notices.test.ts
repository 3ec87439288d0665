import { describe, expect, it } from 'vitest';
import { openCareContext } from '../support/care-contexts.ts';
import { eventually } from '../support/eventually.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { registerPatient } from '../support/registration.ts';
import { inpatientEncounter, safeguardingFlag } from '../support/subscriptions.ts';

type Role = 'gp' | 'gp-other' | 'acute' | 'community' | 'social-care';
const ODS: Record<Role, string> = {
  gp: 'A81001',
  'gp-other': 'A81002',
  acute: 'RX1',
  community: 'RX2',
  'social-care': 'LA101',
};
type Task = {
  id: string;
  status: string;
  intent: string;
  focus: { reference: string };
  for: { reference: string };
  owner: { reference: string };
  meta: { versionId: string; tag: { code: string }[] };
};

/** A patient registered at the first practice, with open care contexts at the hospital, the community trust and social care. */
async function sharedPatient(): Promise<string> {
  const nhs = newNhsNumber();
  await registerPatient(nhs);
  for (const role of ['acute', 'community', 'social-care'] as const) await openCareContext(role, nhs);
  return nhs;
}

/** The Tasks owned by `owner` for the patient, searched as `asRole` (an organisation related to the patient). */
async function tasksOwnedBy(nhs: string, owner: string, asRole: Role = 'gp'): Promise<Task[]> {
  const { status, body } = await fhirFetch(
    asRole,
    `/Task?patient=Patient/${nhs}&owner=Organization/${owner}`,
  );
  expect(status).toBe(200);
  return ((body.entry ?? []) as { resource: Task }[]).map((e) => e.resource);
}

describe('safeguarding notices', () => {
  it('give one Task to each organisation related to the patient but the one that raised the concern, and none to others', async () => {
    const nhs = await sharedPatient();

    const flag = await fhirFetch('acute', '/Flag', { method: 'POST', body: safeguardingFlag(nhs) });
    expect(flag.status).toBe(201);
    const [gp] = await Promise.all(
      (['gp', 'community', 'social-care'] as const).map((role) =>
        eventually(
          () => tasksOwnedBy(nhs, ODS[role], role),
          (t) => t.length > 0,
        ),
      ),
    );

    for (const role of ['gp', 'community', 'social-care'] as const) {
      const tasks = await tasksOwnedBy(nhs, ODS[role], role);
      expect(tasks, role).toHaveLength(1);
      expect(tasks[0]).toMatchObject({
        status: 'requested',
        intent: 'order',
        focus: { reference: `Flag/${flag.body.id}` },
        for: { reference: `Patient/${nhs}` },
        owner: { reference: `Organization/${ODS[role]}` },
      });
    }
    expect(gp?.[0]?.meta.tag).toEqual([
      { system: 'https://fhir.nhs.uk/Id/ods-organization-code', code: ODS.gp },
    ]);
    expect(await tasksOwnedBy(nhs, ODS.acute)).toEqual([]);
    expect(await tasksOwnedBy(nhs, ODS['gp-other'])).toEqual([]);
  });

  it('are acknowledged by their owner updating the status, and by no one else', async () => {
    const nhs = await sharedPatient();
    expect((await fhirFetch('acute', '/Flag', { method: 'POST', body: safeguardingFlag(nhs) })).status).toBe(
      201,
    );
    const [task] = await eventually(
      () => tasksOwnedBy(nhs, ODS.community, 'community'),
      (t) => t.length > 0,
    );
    const path = `/Task/${task?.id}`;
    const acknowledged = { ...task, status: 'accepted' };

    const byOther = await fhirFetch('gp', path, {
      method: 'PUT',
      body: acknowledged,
      headers: { 'If-Match': 'W/"1"' },
    });
    const byOwner = await fhirFetch('community', path, {
      method: 'PUT',
      body: acknowledged,
      headers: { 'If-Match': 'W/"1"' },
    });

    expect(byOther.status).toBe(403);
    expect(byOwner.status).toBe(200);
    expect(byOwner.body).toMatchObject({ status: 'accepted', meta: { versionId: '2' } });
  });
});

describe('admission and discharge notices', () => {
  it('give the registered practice and related social care a Task for each admission and discharge', async () => {
    const nhs = await sharedPatient();

    const admitted = await fhirFetch('acute', '/Encounter', {
      method: 'POST',
      body: inpatientEncounter(nhs),
    });
    expect(admitted.status).toBe(201);
    const discharged = await fhirFetch('acute', `/Encounter/${admitted.body.id}`, {
      method: 'PUT',
      body: { ...admitted.body, status: 'finished' },
      headers: { 'If-Match': 'W/"1"' },
    });
    expect(discharged.status).toBe(200);
    const [gp, socialCare] = await Promise.all([
      eventually(
        () => tasksOwnedBy(nhs, ODS.gp),
        (t) => t.length >= 2,
      ),
      eventually(
        () => tasksOwnedBy(nhs, ODS['social-care'], 'social-care'),
        (t) => t.length >= 2,
      ),
    ]);

    for (const tasks of [gp, socialCare]) {
      expect(tasks).toHaveLength(2);
      expect(tasks.map((t) => t.focus.reference)).toEqual([
        `Encounter/${admitted.body.id}`,
        `Encounter/${admitted.body.id}`,
      ]);
      expect(
        tasks
          .map((t) => (t as unknown as { code: { coding: { code: string }[] } }).code.coding[0]?.code)
          .sort(),
      ).toEqual(['admission', 'discharge']);
    }
    expect(await tasksOwnedBy(nhs, ODS.community, 'community')).toEqual([]);
    expect(await tasksOwnedBy(nhs, ODS.acute)).toEqual([]);
  });
});
