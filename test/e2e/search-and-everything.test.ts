import { beforeAll, describe, expect, it } from 'vitest';
import { openCareContext } from '../support/care-contexts.ts';
import { failure, fhirClient } from '../support/fhir-client.ts';
import { officialExample } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { registerPatient } from '../support/registration.ts';

type Bundle = {
  resourceType: string;
  type: string;
  total?: number;
  link?: { relation: string; url: string }[];
  entry?: { resource: { resourceType: string; id: string; meta?: { tag?: unknown[] } } }[];
};

const nhs = newNhsNumber();
const ids: Record<string, string> = {};

async function contribute(
  role: 'gp' | 'acute',
  file: string,
  element: 'subject' | 'patient',
  changes: object,
) {
  const body = { ...officialExample(file), [element]: { reference: `Patient/${nhs}` }, ...changes };
  const created = await fhirFetch(role, `/${body.resourceType}`, { method: 'POST', body });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

beforeAll(async () => {
  await registerPatient(nhs);
  for (let i = 0; i < 7; i++) {
    ids[`obs${i}`] = await contribute('gp', 'observation-example.json', 'subject', {
      effectiveDateTime: `2024-0${i + 1}-15T10:00:00Z`,
      code: { coding: [{ system: 'http://loinc.org', code: i % 2 ? '8867-4' : '29463-7' }] },
    });
  }
  await openCareContext('acute', nhs);
  ids.condition = await contribute('acute', 'condition-example.json', 'subject', {});
  ids.allergy = await contribute('gp', 'allergyintolerance-example.json', 'patient', {});
});

describe('search', () => {
  it('finds by token system|code within the patient, newest first by default', async () => {
    const fhir = await fhirClient('gp');
    const bundle = (await fhir.search({
      resourceType: 'Observation',
      searchParams: { patient: `Patient/${nhs}`, code: 'http://loinc.org|29463-7' },
    })) as Bundle;
    expect(bundle.type).toBe('searchset');
    expect(bundle.total).toBe(4);
    expect(bundle.entry?.map((e) => e.resource.id).sort()).toEqual(
      [ids.obs0, ids.obs2, ids.obs4, ids.obs6].sort(),
    );
  });

  it('applies date prefixes and sorts by date', async () => {
    const fhir = await fhirClient('gp');
    const bundle = (await fhir.search({
      resourceType: 'Observation',
      searchParams: { subject: `Patient/${nhs}`, date: ['ge2024-03', 'lt2024-06-01'], _sort: 'date' },
    })) as Bundle;
    expect(bundle.entry?.map((e) => e.resource.id)).toEqual([ids.obs2, ids.obs3, ids.obs4]);
  });

  it('pages through next links with an opaque cursor: every match once, none twice', async () => {
    const fhir = await fhirClient('gp');
    let bundle = (await fhir.search({
      resourceType: 'Observation',
      searchParams: { patient: `Patient/${nhs}`, _count: 3, _sort: '-date' },
    })) as Bundle;
    const seen: string[] = [];
    for (;;) {
      seen.push(...(bundle.entry ?? []).map((e) => e.resource.id));
      const next = bundle.link?.find((l) => l.relation === 'next');
      if (!next) break;
      bundle = (await fhir.nextPage({ bundle: { ...bundle, link: bundle.link ?? [] } })) as Bundle;
    }
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => ids[`obs${i}`]));
  });

  it('refuses a changed cursor with 400, and a cursor used for another patient', async () => {
    const first = await fhirFetch('gp', `/Observation?patient=Patient/${nhs}&_count=2`);
    const next = (first.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'next')
      ?.url as string;
    const cursor = new URL(next).searchParams.get('_cursor') as string;
    const tampered = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
    const changed = await fhirFetch('gp', `/Observation?patient=Patient/${nhs}&_count=2&_cursor=${tampered}`);
    expect(changed.status).toBe(400);
    const other = await fhirFetch('gp', `/Observation?patient=Patient/9000000009&_count=2&_cursor=${cursor}`);
    expect(other.status).toBe(400);
    expect(other.body.resourceType).toBe('OperationOutcome');
  });

  it.each([
    ['an unknown parameter', 'colour=red', 400],
    ['a malformed date', 'date=2024-13-45', 400],
    ['_count out of range', '_count=1000', 400],
    ['no patient', '', 400],
  ])('refuses %s with 400', async (_name, extra, status) => {
    const patient = extra === '' ? '' : `patient=Patient/${nhs}&`;
    const response = await fhirFetch('gp', `/Observation?${patient}${extra}`);
    expect(response.status).toBe(status);
    expect(response.body.resourceType).toBe('OperationOutcome');
  });

  it('ignores an unknown parameter under Prefer: handling=lenient, saying so in an outcome entry', async () => {
    const response = await fhirFetch('gp', `/Observation?patient=Patient/${nhs}&colour=red`, {
      headers: { Prefer: 'handling=lenient' },
    });
    expect(response.status).toBe(200);
    const entries = response.body.entry as { resource: { resourceType: string }; search: { mode: string } }[];
    expect(entries.filter((e) => e.search.mode === 'match')).toHaveLength(7);
    expect(entries.find((e) => e.search.mode === 'outcome')?.resource.resourceType).toBe('OperationOutcome');
  });

  it('finds a Patient by NHS-number identifier, and an Organization by ODS code', async () => {
    const patients = await fhirFetch('gp', `/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${nhs}`);
    expect((patients.body.entry as unknown[]).length).toBe(1);
    const orgs = await fhirFetch(
      'gp',
      '/Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|RX1',
    );
    expect((orgs.body.entry as { resource: { id: string } }[])[0]?.resource.id).toBe('RX1');
  });

  it('supports POST _search with a form body', async () => {
    const response = await fhirFetch('gp', '/Condition/_search', {
      method: 'POST',
      body: `patient=Patient/${nhs}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(200);
    expect((response.body.entry as { resource: { id: string } }[]).map((e) => e.resource.id)).toEqual([
      ids.condition,
    ]);
  });
});

describe('conditional create (If-None-Exist)', () => {
  it('creates once, then answers the existing resource with 200 and creates nothing', async () => {
    const body = {
      ...officialExample('flag-example.json'),
      identifier: [{ system: 'https://example.nhs.uk/flags', value: `flag-${nhs}` }],
      subject: { reference: `Patient/${nhs}` },
    };
    const headers = { 'If-None-Exist': `identifier=https://example.nhs.uk/flags|flag-${nhs}` };
    const first = await fhirFetch('gp', '/Flag', { method: 'POST', body, headers });
    const second = await fhirFetch('gp', '/Flag', { method: 'POST', body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
  });
});

describe('$everything', () => {
  it('returns the joined-up record, every entry tagged with its contributor', async () => {
    const fhir = await fhirClient('gp');
    const bundle = (await fhir.request(`Patient/${nhs}/$everything`)) as Bundle;
    const byType = new Map<string, number>();
    for (const e of bundle.entry ?? [])
      byType.set(e.resource.resourceType, (byType.get(e.resource.resourceType) ?? 0) + 1);
    expect(Object.fromEntries(byType)).toMatchObject({
      Patient: 1,
      Observation: 7,
      Condition: 1,
      AllergyIntolerance: 1,
    });
    for (const e of bundle.entry ?? []) {
      expect(e.resource.meta?.tag).toContainEqual(
        expect.objectContaining({ system: 'https://fhir.nhs.uk/Id/ods-organization-code' }),
      );
    }
    const condition = bundle.entry?.find((e) => e.resource.resourceType === 'Condition');
    expect(condition?.resource.meta?.tag).toContainEqual({
      system: 'https://fhir.nhs.uk/Id/ods-organization-code',
      code: 'RX1',
    });
  });

  it('pages with _count and filters with _type', async () => {
    const seen: string[] = [];
    let url: string | undefined = `/Patient/${nhs}/$everything?_count=4`;
    while (url) {
      const page = await fhirFetch('gp', url);
      expect(page.status).toBe(200);
      seen.push(...((page.body.entry ?? []) as { resource: { id: string } }[]).map((e) => e.resource.id));
      const next = (page.body.link as { relation: string; url: string }[]).find(
        (l) => l.relation === 'next',
      )?.url;
      url = next ? next.slice(next.indexOf('/Patient/')) : undefined;
    }
    const whole = await fhirFetch('gp', `/Patient/${nhs}/$everything?_count=100`);
    const all = (whole.body.entry as { resource: { id: string } }[]).map((e) => e.resource.id);
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(all.sort());
    const onlyConditions = await fhirFetch('gp', `/Patient/${nhs}/$everything?_type=Condition`);
    expect((onlyConditions.body.entry as unknown[]).length).toBe(1);
  });

  it('refuses an unknown parameter and a malformed _since', async () => {
    expect((await fhirFetch('gp', `/Patient/${nhs}/$everything?foo=1`)).status).toBe(400);
    expect((await fhirFetch('gp', `/Patient/${nhs}/$everything?_since=yesterday`)).status).toBe(400);
    const fhir = await fhirClient('gp');
    expect((await failure(fhir.request('Condition/x/$everything'))).status).toBe(400);
  });
});
