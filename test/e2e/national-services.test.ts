import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENT } from '#local/seed-demo-patient';
import { openCareContext } from '../support/care-contexts.ts';
import { failure, fhirClient } from '../support/fhir-client.ts';
import { officialExample, ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import {
  AMLODIPINE_5MG,
  ATORVASTATIN_20MG,
  appointment,
  bloodCountReport,
  carer,
  careTeam,
  dischargeSummary,
  haemoglobin,
  medicationDispense,
  medicationRequest,
  medicationStatement,
  referral,
  SIMVASTATIN_40MG,
} from '../support/national-services.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { subscriptionBody } from '../support/subscriptions.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

type Json = Record<string, unknown>;
type Bundle = { entry?: { resource: Json }[] };
type Part = {
  name: string;
  part?: Part[];
  resource?: Json;
  valueCode?: string;
  valueIdentifier?: Json;
} & Json;

/** A patient registered at the first practice (A81001), with the hospital (RX1) caring for them too. */
async function registeredPatient(): Promise<string> {
  const nhs = newNhsNumber();
  const gp = await fhirClient('gp');
  await gp.update({ resourceType: 'Patient', id: nhs, body: ukPatient(nhs) });
  return nhs;
}

const partOf = (p: Part, name: string) => p.part?.find((x) => x.name === name);
const ids = (bundle: Bundle) =>
  (bundle.entry ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id}`);

describe('what the national services put in a record (issue 18), through fhir-kit-client', () => {
  // One resource of each new type, from the organisation that would send it: created, read back, found by a
  // patient search, and in the patient's $everything.
  const cases: { type: string; role: 'gp' | 'acute'; body: (nhs: string) => Json; search?: Json }[] = [
    {
      type: 'MedicationRequest',
      role: 'acute',
      body: (nhs) => medicationRequest(nhs),
      search: { status: 'active' },
    },
    {
      type: 'MedicationDispense',
      role: 'gp',
      body: (nhs) => medicationDispense(nhs),
      search: { status: 'completed' },
    },
    { type: 'ServiceRequest', role: 'gp', body: (nhs) => referral(nhs, 'RX1'), search: { status: 'active' } },
    { type: 'Appointment', role: 'acute', body: (nhs) => appointment(nhs), search: { status: 'booked' } },
    {
      type: 'DiagnosticReport',
      role: 'acute',
      body: (nhs) => bloodCountReport(nhs, []),
      search: { code: '26604007' },
    },
    {
      type: 'Composition',
      role: 'acute',
      body: (nhs) => dischargeSummary(nhs, []),
      search: { type: 'http://loinc.org|18842-5' },
    },
    { type: 'RelatedPerson', role: 'gp', body: (nhs) => carer(nhs), search: { relationship: 'DAU' } },
    { type: 'CareTeam', role: 'gp', body: (nhs) => careTeam(nhs), search: { status: 'active' } },
  ];

  for (const { type, role, body, search } of cases) {
    it(`creates, reads, searches and returns in $everything a ${type}`, async () => {
      const nhs = await registeredPatient();
      if (role !== 'gp') await openCareContext(role, nhs);
      const fhir = await fhirClient(role);
      const created = (await fhir.create({ resourceType: type, body: body(nhs) as never })) as Json;
      expect(created.resourceType).toBe(type);
      const id = created.id as string;

      const read = (await fhir.read({ resourceType: type, id })) as Json;
      expect(read.id).toBe(id);
      expect((read.meta as { tag: { code: string }[] }).tag.map((t) => t.code)).toContain(
        role === 'gp' ? 'A81001' : 'RX1',
      );

      const found = (await fhir.search({
        resourceType: type,
        searchParams: { patient: `Patient/${nhs}`, ...search },
      })) as Bundle;
      expect(ids(found)).toEqual([`${type}/${id}`]);

      const everything = (await fhir.operation({
        resourceType: 'Patient',
        id: nhs,
        name: '$everything',
        method: 'GET',
      })) as Bundle;
      expect(ids(everything)).toContain(`${type}/${id}`);
    });
  }

  it('refuses an Appointment that names no patient among its participants (400), and stores nothing', async () => {
    const nhs = await registeredPatient();
    const fhir = await fhirClient('gp');
    const { participant: _, ...noPatient } = appointment(nhs);
    const refused = await failure(
      fhir.create({
        resourceType: 'Appointment',
        body: { ...noPatient, participant: [{ actor: { display: 'Dr Amara Okafor' }, status: 'accepted' }] },
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.data.resourceType).toBe('OperationOutcome');
  });

  it('accepts the official R4 Practitioner example as the person a CareTeam names (contained)', async () => {
    const nhs = await registeredPatient();
    const { text: _narrative, ...practitioner } = officialExample('practitioner-example.json');
    const fhir = await fhirClient('gp');
    const team = careTeam(nhs);
    const created = (await fhir.create({
      resourceType: 'CareTeam',
      body: {
        ...team,
        contained: [{ ...practitioner, id: 'gp1' }],
      } as never,
    })) as Json;
    const read = (await fhir.read({ resourceType: 'CareTeam', id: created.id as string })) as unknown as {
      contained: Json[];
    };
    expect(read.contained[0]?.name).toEqual(practitioner.name);
  });

  it('accepts the official R4 CareTeam example once pointed at a registered patient', async () => {
    const nhs = await registeredPatient();
    const example = officialExample('careteam-example.json') as Json & { participant: Json[] };
    const fhir = await fhirClient('gp');
    const created = (await fhir.create({
      resourceType: 'CareTeam',
      body: {
        resourceType: 'CareTeam',
        ...example,
        subject: { reference: `Patient/${nhs}` },
        participant: example.participant.map((p) =>
          (p.member as { reference?: string }).reference === 'Patient/example'
            ? { ...p, member: { reference: `Patient/${nhs}` } }
            : p,
        ),
      },
    })) as Json;
    expect(created.id).not.toBe('example');
    expect(((await fhir.read({ resourceType: 'CareTeam', id: created.id as string })) as Json).name).toBe(
      example.name,
    );
  });
});

describe('GET /Patient/{nhs}/$current-medications', () => {
  it('lists one entry per medicine from the GP statement, hospital prescription and pharmacy dispensing, each source named', async () => {
    const nhs = await registeredPatient();
    await openCareContext('acute', nhs);
    // The community trust stands in for the dispensing pharmacy: the sandbox has no pharmacy client.
    await openCareContext('community', nhs);
    const gp = await fhirClient('gp');
    const hospital = await fhirClient('acute');
    const pharmacy = await fhirClient('community');

    const statement = (await gp.create({
      resourceType: 'MedicationStatement',
      body: medicationStatement(nhs),
    })) as Json;
    const stopped = (await gp.create({
      resourceType: 'MedicationStatement',
      body: medicationStatement(nhs, SIMVASTATIN_40MG, 'stopped'),
    })) as Json;
    const prescription = (await hospital.create({
      resourceType: 'MedicationRequest',
      body: medicationRequest(nhs),
    })) as Json;
    const statin = (await hospital.create({
      resourceType: 'MedicationRequest',
      body: medicationRequest(nhs, ATORVASTATIN_20MG),
    })) as Json;
    const dispensing = (await pharmacy.create({
      resourceType: 'MedicationDispense',
      body: medicationDispense(nhs),
    })) as Json;
    const longAgo = (await pharmacy.create({
      resourceType: 'MedicationDispense',
      body: medicationDispense(nhs, SIMVASTATIN_40MG, 200),
    })) as Json;

    const answer = (await gp.operation({
      resourceType: 'Patient',
      id: nhs,
      name: '$current-medications',
      method: 'GET',
    })) as { resourceType: string; parameter: Part[] };
    expect(answer.resourceType).toBe('Parameters');

    const medicines = answer.parameter.filter((p) => p.name === 'medication');
    const summary = medicines.map((m) => ({
      code: (partOf(m, 'code')?.valueCodeableConcept as { coding: { code: string }[] } | undefined)?.coding[0]
        ?.code,
      sources: (m.part ?? [])
        .filter((p) => p.name === 'source')
        .map((s) => ({
          type: s.part?.find((p) => p.name === 'type')?.valueCode,
          organisation: (partOf(s, 'organisation')?.valueIdentifier as { value: string } | undefined)?.value,
          id: s.part?.find((p) => p.name === 'resource')?.resource?.id,
          dated: typeof s.part?.find((p) => p.name === 'date')?.valueDateTime === 'string',
        }))
        .sort((a, b) => String(a.type).localeCompare(String(b.type))),
    }));
    expect(summary).toHaveLength(2);
    expect(summary).toEqual(
      expect.arrayContaining([
        {
          code: AMLODIPINE_5MG.code,
          sources: [
            { type: 'MedicationDispense', organisation: 'RX2', id: dispensing.id, dated: true },
            { type: 'MedicationRequest', organisation: 'RX1', id: prescription.id, dated: true },
            { type: 'MedicationStatement', organisation: 'A81001', id: statement.id, dated: true },
          ],
        },
        {
          code: ATORVASTATIN_20MG.code,
          sources: [{ type: 'MedicationRequest', organisation: 'RX1', id: statin.id, dated: true }],
        },
      ]),
    );
    // Stopped, and dispensed long ago: not current.
    const listed = JSON.stringify(answer);
    expect(listed).not.toContain(stopped.id as string);
    expect(listed).not.toContain(longAgo.id as string);
  });

  it("answers for the sandbox's seeded patient: ramipril once, from the GP's statement, the hospital's prescription and the dispensing", async () => {
    // Read only: the seeded record is shared by every test.
    const { status, body } = await fhirFetch('gp', `/Patient/${DEMO_PATIENT}/$current-medications`);
    expect(status).toBe(200);
    const medicines = (body.parameter as Part[]).filter((p) => p.name === 'medication');
    const byName = Object.fromEntries(
      medicines.map((m) => [
        (partOf(m, 'code')?.valueCodeableConcept as { text: string } | undefined)?.text,
        (m.part ?? [])
          .filter((p) => p.name === 'source')
          .map(
            (s) =>
              `${partOf(s, 'type')?.valueCode} ${(partOf(s, 'organisation')?.valueIdentifier as { value: string } | undefined)?.value}`,
          )
          .sort(),
      ]),
    );
    expect(byName['Ramipril 5mg capsules']).toEqual([
      'MedicationDispense A81001',
      'MedicationRequest RX1',
      'MedicationStatement A81001',
    ]);
    expect(byName['Metformin 500mg modified-release tablets']).toEqual(['MedicationStatement A81001']);
    // The antibiotic course is completed: not current.
    expect(Object.keys(byName)).not.toContain('Clarithromycin 500mg tablets');
  });

  it('answers 403 to an organisation with no relationship, and leaves out what is restricted to another', async () => {
    const nhs = await registeredPatient();
    expect((await fhirFetch('acute', `/Patient/${nhs}/$current-medications`)).status).toBe(403);

    await openCareContext('acute', nhs);
    const restricted = {
      ...medicationRequest(nhs),
      meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] },
    };
    const created = await fhirFetch('acute', '/MedicationRequest', { method: 'POST', body: restricted });
    expect(created.status).toBe(201);
    const gpView = await fhirFetch('gp', `/Patient/${nhs}/$current-medications`);
    expect(gpView.status).toBe(200);
    expect(JSON.stringify(gpView.body)).not.toContain(created.body.id as string);
    const ownView = await fhirFetch('acute', `/Patient/${nhs}/$current-medications`);
    expect(JSON.stringify(ownView.body)).toContain(created.body.id as string);
  });
});

describe('a referral, an appointment and a result raise their events and notices', () => {
  const receiver = new WebhookReceiver(() => 200);
  let endpoint: string;
  beforeAll(async () => {
    endpoint = await receiver.start();
  });
  afterAll(() => receiver.stop());

  const notified = (focus: string) => receiver.acceptedFocuses.filter((f) => f.endsWith(focus)).length;

  async function subscribe(role: 'acute' | 'gp', topic: string, nhs: string) {
    const body = subscriptionBody({ topic, filter: `patient=Patient/${nhs}`, endpoint });
    const created = await fhirFetch(role, '/Subscription', { method: 'POST', body });
    expect(created.status).toBe(201);
  }

  it('gives the receiving organisation a relationship, a Task and a notification', async () => {
    const nhs = await registeredPatient();
    // Before the referral the hospital may not read the record.
    expect((await fhirFetch('acute', `/Patient/${nhs}`)).status).toBe(403);

    const gp = await fhirClient('gp');
    const sent = (await gp.create({ resourceType: 'ServiceRequest', body: referral(nhs, 'RX1') })) as Json;
    const focus = `ServiceRequest/${sent.id}`;

    // The referral is a care context for its performer (CONTRACT §4).
    expect((await fhirFetch('acute', `/Patient/${nhs}`)).status).toBe(200);
    // A Task for the hospital, found as CONTRACT §5 says notices are found.
    await expect
      .poll(
        async () => {
          const { body } = await fhirFetch('acute', `/Task?patient=Patient/${nhs}&owner=Organization/RX1`);
          return ((body as Bundle).entry ?? []).map((e) => ({
            focus: (e.resource.focus as { reference: string }).reference,
            status: e.resource.status,
            code: (e.resource.code as { coding: { code: string }[] }).coding[0]?.code,
          }));
        },
        { timeout: 30_000, interval: 250 },
      )
      .toEqual([{ focus, status: 'requested', code: 'referral' }]);

    // A notification on the `referral` topic, to a hospital subscribed to this patient: a second referral.
    await subscribe('acute', 'referral', nhs);
    const second = (await gp.create({ resourceType: 'ServiceRequest', body: referral(nhs, 'RX1') })) as Json;
    await receiver.waitFor(() => notified(`ServiceRequest/${second.id}`) === 1);
  }, 90_000);

  it('notifies a discharge summary added, with the Encounter whose discharge it summarises', async () => {
    const nhs = await registeredPatient();
    const encounter = await openCareContext('acute', nhs);
    await subscribe('gp', 'discharge-summary', nhs);
    const hospital = await fhirClient('acute');
    const summary = (await hospital.create({
      resourceType: 'Composition',
      body: { ...dischargeSummary(nhs, []), encounter: { reference: `Encounter/${encounter}` } } as never,
    })) as Json;
    await receiver.waitFor(() => notified(`Composition/${summary.id}`) === 1);
    // A clinic letter is not a discharge summary: a sentinel summary after it arrives alone.
    const letter = (await hospital.create({
      resourceType: 'Composition',
      body: {
        ...dischargeSummary(nhs, []),
        type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }] },
      } as never,
    })) as Json;
    const sentinel = (await hospital.create({
      resourceType: 'Composition',
      body: dischargeSummary(nhs, []) as never,
    })) as Json;
    await receiver.waitFor(() => notified(`Composition/${sentinel.id}`) === 1);
    expect(notified(`Composition/${letter.id}`)).toBe(0);
  }, 90_000);

  it('notifies an appointment booked and then cancelled, and a result added', async () => {
    const nhs = await registeredPatient();
    await openCareContext('acute', nhs);
    await subscribe('gp', 'appointment', nhs);
    await subscribe('gp', 'result', nhs);
    const hospital = await fhirClient('acute');

    const booked = (await hospital.create({ resourceType: 'Appointment', body: appointment(nhs) })) as Json;
    await receiver.waitFor(() => notified(`Appointment/${booked.id}`) === 1);
    const cancelled = await fhirFetch('acute', `/Appointment/${booked.id}`, {
      method: 'PUT',
      body: { ...appointment(nhs, undefined, 'cancelled'), id: booked.id },
      headers: { 'If-Match': `W/"${(booked.meta as { versionId: string }).versionId}"` },
    });
    expect(cancelled.status).toBe(200);
    await receiver.waitFor(() => notified(`Appointment/${booked.id}`) === 2);

    const result = (await hospital.create({ resourceType: 'Observation', body: haemoglobin(nhs) })) as Json;
    const report = (await hospital.create({
      resourceType: 'DiagnosticReport',
      body: bloodCountReport(nhs, [`Observation/${result.id}`]),
    })) as Json;
    await receiver.waitFor(() => notified(`DiagnosticReport/${report.id}`) === 1);
  }, 120_000);
});

describe('a discharge summary submitted as one transaction', () => {
  it('stores the Composition and what its sections reference together, readable as a whole', async () => {
    const nhs = await registeredPatient();
    await openCareContext('acute', nhs);
    const hospital = await fhirClient('acute');
    const uuid = (n: number) => `urn:uuid:5b0c1e4a-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const transaction = (summaryBody: Json) => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: uuid(1),
          resource: medicationRequest(nhs),
          request: { method: 'POST', url: 'MedicationRequest' },
        },
        { fullUrl: uuid(2), resource: summaryBody, request: { method: 'POST', url: 'Composition' } },
      ],
    });
    const response = (await hospital.transaction({
      body: transaction(dischargeSummary(nhs, [uuid(1)])),
    })) as unknown as { entry: { response: { status: string; location: string } }[] };
    expect(response.entry.map((e) => e.response.status)).toEqual(['201 Created', '201 Created']);
    const [prescription, summary] = response.entry.map((e) =>
      e.response.location.split('/').slice(-4, -2).join('/'),
    );

    const stored = (await hospital.read({
      resourceType: 'Composition',
      id: String(summary).split('/')[1] as string,
    })) as unknown as { section: { entry?: { reference: string }[] }[] };
    expect(stored.section[0]?.entry?.map((e) => e.reference)).toEqual([prescription]);
    const everything = await fhirFetch(
      'acute',
      `/Patient/${nhs}/$everything?_type=Composition,MedicationRequest`,
    );
    expect(ids(everything.body as Bundle).sort()).toEqual([prescription, summary].sort());

    // Read as a whole: Composition $document, a document Bundle of the letter, its patient and its entries.
    const document = (await hospital.operation({
      resourceType: 'Composition',
      id: String(summary).split('/')[1] as string,
      name: '$document',
      method: 'GET',
    })) as unknown as Bundle & { type: string; identifier?: unknown; timestamp?: string };
    expect(document.type).toBe('document');
    expect(document.identifier).toBeDefined();
    expect(document.timestamp).toBeDefined();
    expect(ids(document)).toEqual([summary, `Patient/${nhs}`, prescription]);

    // Atomic: a summary that fails validation takes its prescription with it.
    const { title: _, ...untitled } = dischargeSummary(nhs, [uuid(1)]);
    const refused = await failure(hospital.transaction({ body: transaction(untitled) }));
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const after = (await hospital.search({
      resourceType: 'MedicationRequest',
      searchParams: { patient: `Patient/${nhs}` },
    })) as Bundle;
    expect(ids(after)).toEqual([prescription]);
  });

  it('leaves out of the document what is restricted to its contributor, and is 404 for a letter hidden from the caller', async () => {
    const nhs = await registeredPatient();
    await openCareContext('acute', nhs);
    const restricted = { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' };
    const prescription = await fhirFetch('acute', '/MedicationRequest', {
      method: 'POST',
      body: { ...medicationRequest(nhs), meta: { security: [restricted] } },
    });
    const letter = await fhirFetch('acute', '/Composition', {
      method: 'POST',
      body: dischargeSummary(nhs, [`MedicationRequest/${prescription.body.id}`]),
    });
    const path = `/Composition/${letter.body.id}/$document`;
    expect(ids((await fhirFetch('acute', path)).body as Bundle)).toHaveLength(3);
    const gpView = await fhirFetch('gp', path);
    expect(gpView.status).toBe(200);
    expect(ids(gpView.body as Bundle)).toEqual([`Composition/${letter.body.id}`, `Patient/${nhs}`]);

    const hidden = await fhirFetch('acute', '/Composition', {
      method: 'POST',
      body: { ...dischargeSummary(nhs, []), meta: { security: [restricted] } },
    });
    expect((await fhirFetch('gp', `/Composition/${hidden.body.id}/$document`)).status).toBe(404);
  });
});

describe('the CapabilityStatement', () => {
  it('lists the new types with their search parameters, the operations and the topics', async () => {
    const { body } = await fhirFetch('gp', '/metadata');
    type Entry = {
      type: string;
      searchParam?: { name: string }[];
      operation?: { name: string }[];
      extension?: { valueCanonical?: string }[];
    };
    const resources = (body.rest as { resource: Entry[] }[])[0]?.resource ?? [];
    const byType = (type: string) => resources.find((r) => r.type === type);
    for (const type of [
      'MedicationRequest',
      'MedicationDispense',
      'Appointment',
      'DiagnosticReport',
      'Composition',
      'RelatedPerson',
      'CareTeam',
    ]) {
      expect(
        byType(type)?.searchParam?.map((p) => p.name),
        type,
      ).toContain('patient');
    }
    expect(byType('Patient')?.operation?.map((o) => o.name)).toContain('current-medications');
    expect(byType('Composition')?.operation?.map((o) => o.name)).toContain('document');
    const topics = byType('Subscription')?.extension?.map((e) => e.valueCanonical) ?? [];
    for (const topic of ['referral', 'appointment', 'result', 'discharge-summary']) {
      expect(topics).toContain(`https://shared-care-record.org/fhir/SubscriptionTopic/${topic}`);
    }
  });
});
