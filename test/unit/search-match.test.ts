import type {
  AllergyIntolerance,
  Condition,
  DocumentReference,
  Encounter,
  Flag,
  Immunization,
  Observation,
  Organization,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { dateRange } from '#shared/search/date-range';
import { dateMatches, matchesSearch } from '#shared/search/search-match';
import { parseSearchRequest, type SearchPrefix } from '#shared/search/search-request';
import { officialExample } from '../support/fixtures.ts';

const nhs = '9000000009';
const subject = { reference: `Patient/${nhs}` };
const observation: Observation = { ...officialExample<Observation>('observation-example.json'), subject };
const condition: Condition = { ...officialExample<Condition>('condition-example.json'), subject };
const allergy: AllergyIntolerance = {
  ...officialExample<AllergyIntolerance>('allergyintolerance-example.json'),
  patient: subject,
};
const immunization: Immunization = {
  ...officialExample<Immunization>('immunization-example.json'),
  patient: subject,
};
const encounter: Encounter = { ...officialExample<Encounter>('encounter-example.json'), subject };
const flag: Flag = { ...officialExample<Flag>('flag-example.json'), subject };
const documentReference: DocumentReference = {
  ...officialExample<DocumentReference>('documentreference-example.json'),
  subject,
};
const patient = officialExample<Patient>('patient-example.json');
const organization = officialExample<Organization>('organization-example.json');

/** Whether `resource` is found by a search of its own type for the patient with `query`. */
function finds(resource: Resource, query: Record<string, string>, lastUpdated?: string): boolean {
  const values = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]]));
  const clinical = !['Patient', 'Organization'].includes(resource.resourceType);
  const withPatient = clinical && !query.subject && !query.patient ? { patient: [nhs], ...values } : values;
  return matchesSearch(resource, parseSearchRequest(resource.resourceType, withPatient, {}), lastUpdated);
}

interface Case {
  name: string;
  resource: Resource;
  query: Record<string, string>;
  expected: boolean;
}

const tokenCases: Case[] = [
  {
    name: 'a code alone matches in any system',
    resource: observation,
    query: { code: '29463-7' },
    expected: true,
  },
  {
    name: 'system|code matches that coding',
    resource: observation,
    query: { code: 'http://loinc.org|29463-7' },
    expected: true,
  },
  {
    name: 'system|code fails when the code is in another system',
    resource: observation,
    query: { code: 'http://snomed.info/sct|29463-7' },
    expected: false,
  },
  {
    name: '|code fails when the coding has a system',
    resource: observation,
    query: { code: '|29463-7' },
    expected: false,
  },
  {
    name: '|code matches a coding without a system',
    resource: { ...observation, code: { coding: [{ code: '29463-7' }] } } as Observation,
    query: { code: '|29463-7' },
    expected: true,
  },
  {
    name: 'system| matches any code of the system',
    resource: observation,
    query: { code: 'http://snomed.info/sct|' },
    expected: true,
  },
  {
    name: 'system| fails for a system not used',
    resource: observation,
    query: { code: 'http://acme.org|' },
    expected: false,
  },
  {
    name: 'a code matches only exactly (case counts)',
    resource: observation,
    query: { code: 'BODY-WEIGHT' },
    expected: false,
  },
  {
    name: 'any alternative of a list may match',
    resource: observation,
    query: { status: 'amended,final' },
    expected: true,
  },
  {
    name: 'no alternative matching fails',
    resource: observation,
    query: { status: 'amended,preliminary' },
    expected: false,
  },
  {
    name: 'a code element matches its value',
    resource: allergy,
    query: { criticality: 'high' },
    expected: true,
  },
  {
    name: 'a code list element matches any item',
    resource: allergy,
    query: { category: 'food' },
    expected: true,
  },
  {
    name: 'an identifier matches system|value',
    resource: allergy,
    query: { identifier: 'http://acme.com/ids/patients/risks|49476534' },
    expected: true,
  },
  {
    name: 'an identifier fails on another value',
    resource: allergy,
    query: { identifier: '49476535' },
    expected: false,
  },
  { name: 'a boolean matches true or false', resource: patient, query: { active: 'true' }, expected: true },
  {
    name: 'a boolean fails on the other value',
    resource: patient,
    query: { active: 'false' },
    expected: false,
  },
  {
    name: 'a ContactPoint matches its value',
    resource: patient,
    query: { phone: '(03) 5555 6473' },
    expected: true,
  },
  {
    name: 'phone= only looks at phone numbers',
    resource: { ...patient, telecom: [{ system: 'email', value: 'p@example.org' }] } as Patient,
    query: { phone: 'p@example.org' },
    expected: false,
  },
  {
    name: 'a CodeableConcept matches a code of its coding',
    resource: condition,
    query: { 'clinical-status': 'active' },
    expected: true,
  },
  { name: '_id matches the id', resource: condition, query: { _id: 'example' }, expected: true },
  { name: '_id fails on another id', resource: condition, query: { _id: 'other' }, expected: false },
  {
    name: ':not matches when no code matches',
    resource: observation,
    query: { 'code:not': '1234-5' },
    expected: true,
  },
  {
    name: ':not fails when a code matches',
    resource: observation,
    query: { 'code:not': 'http://loinc.org|3141-9' },
    expected: false,
  },
  {
    name: ':not matches resources without the element',
    resource: { ...observation, category: undefined } as Observation,
    query: { 'category:not': 'vital-signs' },
    expected: true,
  },
  {
    name: ':not fails when any alternative matches',
    resource: observation,
    query: { 'status:not': 'amended,final' },
    expected: false,
  },
  {
    name: ':text matches the start of a display',
    resource: observation,
    query: { 'code:text': 'body WEIGHT meas' },
    expected: true,
  },
  {
    name: ':text matches the start of a word in the text',
    resource: condition,
    query: { 'code:text': 'ear' },
    expected: true,
  },
  {
    name: ':text fails on text it does not hold',
    resource: condition,
    query: { 'code:text': 'burns' },
    expected: false,
  },
];

const missingCases: Case[] = [
  {
    name: ':missing=false matches a resource with the element',
    resource: observation,
    query: { 'encounter:missing': 'false' },
    expected: true,
  },
  {
    name: ':missing=true fails a resource with the element',
    resource: observation,
    query: { 'encounter:missing': 'true' },
    expected: false,
  },
  {
    name: ':missing=true matches a resource without it',
    resource: condition,
    query: { 'encounter:missing': 'true' },
    expected: true,
  },
  {
    name: ':missing=false fails a resource without it',
    resource: condition,
    query: { 'encounter:missing': 'false' },
    expected: false,
  },
  {
    name: ':missing=true matches a primitive with only an extension',
    resource: {
      ...condition,
      recordedDate: undefined,
      _recordedDate: { extension: [{ url: 'http://example.org/x', valueString: 'unknown' }] },
    } as Condition,
    query: { 'recorded-date:missing': 'true' },
    expected: true,
  },
  {
    name: ':missing on a date parameter',
    resource: immunization,
    query: { 'date:missing': 'false' },
    expected: true,
  },
];

const stringCases: Case[] = [
  {
    name: 'a string matches at its start',
    resource: immunization,
    query: { 'lot-number': 'AAJN' },
    expected: true,
  },
  {
    name: 'a string ignores case',
    resource: immunization,
    query: { 'lot-number': 'aajn11k' },
    expected: true,
  },
  {
    name: 'a string does not match in the middle',
    resource: immunization,
    query: { 'lot-number': 'JN11' },
    expected: false,
  },
  {
    name: ':contains matches in the middle',
    resource: immunization,
    query: { 'lot-number:contains': 'jn11' },
    expected: true,
  },
  {
    name: ':exact matches the whole string',
    resource: immunization,
    query: { 'lot-number:exact': 'AAJN11K' },
    expected: true,
  },
  {
    name: ':exact counts case',
    resource: immunization,
    query: { 'lot-number:exact': 'aajn11k' },
    expected: false,
  },
  {
    name: ':exact fails on a prefix',
    resource: immunization,
    query: { 'lot-number:exact': 'AAJN' },
    expected: false,
  },
  { name: 'a HumanName matches its family name', resource: patient, query: { name: 'chal' }, expected: true },
  { name: 'a HumanName matches any given name', resource: patient, query: { name: 'Jim' }, expected: true },
  {
    name: 'family= looks only at family names',
    resource: patient,
    query: { family: 'Jim' },
    expected: false,
  },
  { name: 'an Address matches its city', resource: patient, query: { address: 'pleasant' }, expected: true },
  {
    name: 'an Address matches its postcode',
    resource: patient,
    query: { 'address-postalcode': '399' },
    expected: true,
  },
  {
    name: 'accents in the resource are ignored',
    resource: { ...patient, name: [{ family: 'Bénédicte-Héloïse' }] } as Patient,
    query: { family: 'benedicte-he' },
    expected: true,
  },
  {
    name: 'accents in the search are ignored',
    resource: { ...patient, name: [{ family: 'Ozil' }] } as Patient,
    query: { family: 'Özil' },
    expected: true,
  },
  {
    name: ':exact counts accents',
    resource: { ...patient, name: [{ family: 'Özil' }] } as Patient,
    query: { 'family:exact': 'Ozil' },
    expected: false,
  },
  {
    name: 'a string parameter over name and alias',
    resource: organization,
    query: { name: 'health level' },
    expected: true,
  },
  {
    name: 'a description matches at its start',
    resource: documentReference,
    query: { description: 'phys' },
    expected: true,
  },
];

const referenceCases: Case[] = [
  {
    name: 'Type/id matches a relative reference',
    resource: observation,
    query: { encounter: 'Encounter/example' },
    expected: true,
  },
  { name: 'a bare id matches', resource: observation, query: { encounter: 'example' }, expected: true },
  {
    name: 'an absolute URL matches by its Type/id',
    resource: observation,
    query: { encounter: 'https://fhir.example.nhs.uk/R4/Encounter/example' },
    expected: true,
  },
  {
    name: 'another id fails',
    resource: observation,
    query: { encounter: 'Encounter/other' },
    expected: false,
  },
  {
    name: 'an absolute reference in the resource matches Type/id',
    resource: {
      ...observation,
      encounter: { reference: 'https://fhir.example.nhs.uk/R4/Encounter/e1' },
    } as Observation,
    query: { encounter: 'Encounter/e1' },
    expected: true,
  },
  {
    name: 'the type modifier restricts the type',
    resource: immunization,
    query: { 'manufacturer:Organization': 'hl7' },
    expected: true,
  },
  {
    name: ':identifier matches a logical reference',
    resource: {
      ...observation,
      performer: [{ identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RX1' } }],
    } as Observation,
    query: { 'performer:identifier': 'https://fhir.nhs.uk/Id/ods-organization-code|RX1' },
    expected: true,
  },
  {
    name: 'patient matches the resource of that patient',
    resource: observation,
    query: { patient: `Patient/${nhs}` },
    expected: true,
  },
  {
    name: 'patient fails a resource of another patient',
    resource: observation,
    query: { patient: '9000000017' },
    expected: false,
  },
  {
    name: 'patient fails a resource whose subject is not a patient',
    resource: { ...observation, subject: { reference: `Group/${nhs}` } } as Observation,
    query: { patient: nhs },
    expected: false,
  },
  {
    name: 'patient matches an absolute patient reference',
    resource: {
      ...observation,
      subject: { reference: `https://fhir.nhs.uk/R4/Patient/${nhs}` },
    } as Observation,
    query: { subject: nhs },
    expected: true,
  },
  {
    name: 'AllergyIntolerance names its patient in `patient`',
    resource: allergy,
    query: { patient: nhs },
    expected: true,
  },
];

const otherCases: Case[] = [
  {
    name: 'a uri matches whole',
    resource: documentReference,
    query: { location: 'http://example.org/xds/mhd/Binary/07a6483f-732b-461e-86b6-edb665c45510' },
    expected: true,
  },
  {
    name: 'a uri fails on a prefix',
    resource: documentReference,
    query: { location: 'http://example.org/xds' },
    expected: false,
  },
  {
    name: 'uri:below matches a prefix',
    resource: documentReference,
    query: { 'location:below': 'http://example.org/xds' },
    expected: true,
  },
  {
    name: 'a quantity matches its value',
    resource: observation,
    query: { 'value-quantity': '185' },
    expected: true,
  },
  {
    name: 'a quantity outside the precision written fails',
    resource: observation,
    query: { 'value-quantity': '185.4' },
    expected: false,
  },
  {
    name: 'a quantity with a unit code matches',
    resource: observation,
    query: { 'value-quantity': '185|http://unitsofmeasure.org|[lb_av]' },
    expected: true,
  },
  {
    name: 'a quantity in another unit fails',
    resource: observation,
    query: { 'value-quantity': '185|http://unitsofmeasure.org|kg' },
    expected: false,
  },
  {
    name: 'a quantity matches a unit written as unit',
    resource: observation,
    query: { 'value-quantity': '185||lbs' },
    expected: true,
  },
  {
    name: 'gt compares the value',
    resource: observation,
    query: { 'value-quantity': 'gt184.9' },
    expected: true,
  },
  {
    name: 'lt compares the value',
    resource: observation,
    query: { 'value-quantity': 'lt185' },
    expected: false,
  },
  {
    name: 'le includes the value',
    resource: observation,
    query: { 'value-quantity': 'le185' },
    expected: true,
  },
  {
    name: 'ap allows ten percent',
    resource: observation,
    query: { 'value-quantity': 'ap200' },
    expected: true,
  },
  {
    name: 'ne excludes the value',
    resource: observation,
    query: { 'value-quantity': 'ne185' },
    expected: false,
  },
  {
    name: 'every filter must match (AND)',
    resource: observation,
    query: { code: '29463-7', status: 'amended' },
    expected: false,
  },
  {
    name: 'an Encounter class is a Coding',
    resource: encounter,
    query: { class: 'http://terminology.hl7.org/CodeSystem/v3-ActCode|IMP' },
    expected: true,
  },
];

describe('matchesSearch', () => {
  describe.each([
    ['token', tokenCases],
    [':missing', missingCases],
    ['string', stringCases],
    ['reference', referenceCases],
    ['uri, quantity and more', otherCases],
  ])('%s parameters', (_, cases) => {
    it.each(cases)('$name', ({ resource, query, expected }) => {
      // act
      const found = finds(resource, query);

      // assess
      expect(found).toBe(expected);
    });
  });

  it('does not match a resource of another type', () => {
    // prepare
    const request = parseSearchRequest('Condition', { patient: [nhs] }, {});

    // act
    const found = matchesSearch(observation, request);

    // assess
    expect(found).toBe(false);
  });
});

describe('matchesSearch: dates', () => {
  // Observation.effectiveDateTime is 2016-03-28 (a whole day); Flag.period is 2015-01-17 to 2016-12-01.
  const at = (effectiveDateTime: string): Observation => ({ ...observation, effectiveDateTime });
  const cases: [string, Resource, string, boolean][] = [
    ['same day', observation, '2016-03-28', true],
    ['year containing the day', observation, '2016', true],
    ['month containing the day', observation, '2016-03', true],
    ['other month', observation, '2016-04', false],
    ['an instant within the day is not equal to the whole day', observation, '2016-03-28T12:00:00Z', false],
    ['ge the same day', observation, 'ge2016-03-28', true],
    ['ge the next day', observation, 'ge2016-03-29', false],
    ['gt the same day', observation, 'gt2016-03-28', false],
    ['gt the day before', observation, 'gt2016-03-27', true],
    ['le the same day', observation, 'le2016-03-28', true],
    ['lt the same day', observation, 'lt2016-03-28', false],
    ['lt the next day', observation, 'lt2016-03-29', true],
    ['ne another day', observation, 'ne2016-03-27', true],
    ['ne the same day', observation, 'ne2016-03-28', false],
    ['second precision: equal', at('2024-03-05T10:00:00Z'), '2024-03-05T10:00:00Z', true],
    ['second precision: ge on the boundary', at('2024-03-05T10:00:00Z'), 'ge2024-03-05T10:00:00Z', true],
    ['second precision: gt on the boundary', at('2024-03-05T10:00:00Z'), 'gt2024-03-05T10:00:00Z', false],
    ['second precision: lt one second later', at('2024-03-05T10:00:00Z'), 'lt2024-03-05T10:00:01Z', true],
    ['second precision: le one second earlier', at('2024-03-05T10:00:00Z'), 'le2024-03-05T09:59:59Z', false],
    ['time zones are compared as instants', at('2024-03-05T10:00:00+01:00'), '2024-03-05T09:00:00Z', true],
    ['a dateTime within the searched minute', at('2024-03-05T10:00:30Z'), '2024-03-05T10:00Z', true],
    ['a dateTime within the searched day', at('2024-03-05T23:59:59Z'), '2024-03-05', true],
    ['a dateTime just after the searched day', at('2024-03-06T00:00:00Z'), 'le2024-03-05', false],
    ['a year-precision value is not within a day', at('2024'), '2024-03-05', false],
    ['a year-precision value is ge a day inside it', at('2024'), 'ge2024-03-05', true],
    ['a year-precision value is le a day inside it', at('2024'), 'le2024-03-05', true],
    ['a year-precision value is not sa a day inside it', at('2024'), 'sa2024-03-05', false],
    ['sa: starts after the searched day', at('2024-03-06'), 'sa2024-03-05', true],
    ['sa: not on the day', at('2024-03-05T23:00:00Z'), 'sa2024-03-05', false],
    ['eb: ends before the searched day', at('2024-03-04T23:59:59Z'), 'eb2024-03-05', true],
    ['eb: not on the day', at('2024-03-05T00:00:00Z'), 'eb2024-03-05', false],
    ['ap: near the value', at('2016-03-30'), 'ap2016-03-28', true],
    ['a Period is not eq a shorter range it outlasts', flag, '2015-01-17,2016', false],
    ['a Period is ge its start', flag, 'ge2016-06-01', true],
    ['a Period is le its end', flag, 'le2015-02-01', true],
    ['a Period ending before is not ge', flag, 'ge2017-01-01', false],
    ['a Period is not sa a day within it', flag, 'sa2016-01-01', false],
    ['a Period is sa the day before its start', flag, 'sa2015-01-16', true],
    ['a Period is eb the day after its end', flag, 'eb2016-12-02', true],
    ['a Period reaching past the searched day is ge it', flag, 'ge2015-01-01', true],
    [
      'an open Period is gt any later date',
      { ...flag, period: { start: '2015-01-17' } } as Flag,
      'gt2030',
      true,
    ],
    [
      'an open Period is not lt its start',
      { ...flag, period: { start: '2015-01-17' } } as Flag,
      'lt2015-01-17',
      false,
    ],
    ['any of several values may match', allergy, 'onset=2004', true],
  ];

  it.each(cases)('%s (%s… date=%s → %s)', (_, resource, value, expected) => {
    // prepare
    const [name, text] = value.includes('=') ? value.split('=') : ['date', value];

    // act
    const found = finds(resource, { [name as string]: text as string });

    // assess
    expect(found).toBe(expected);
  });

  it('matches two date filters as a range (AND)', () => {
    // prepare
    const request = parseSearchRequest(
      'Observation',
      { patient: [nhs], date: ['ge2016-01-01', 'lt2016-04-01'] },
      {},
    );

    // act
    const found = matchesSearch(observation, request);

    // assess
    expect(found).toBe(true);
  });

  it('compares _lastUpdated with the stored time, not the body', () => {
    // prepare
    const stale = { ...observation, meta: { lastUpdated: '2000-01-01T00:00:00Z' } };

    // act
    const found = finds(stale, { _lastUpdated: 'ge2024-06-01' }, '2024-06-01T12:00:00.000Z');

    // assess
    expect(found).toBe(true);
  });

  it("falls back to meta.lastUpdated when the stored time isn't given", () => {
    // prepare
    const stored = { ...observation, meta: { lastUpdated: '2024-06-01T12:00:00Z' } };

    // act
    const found = finds(stored, { _lastUpdated: 'lt2024-06-01' });

    // assess
    expect(found).toBe(false);
  });
});

describe('dateMatches: the R4 prefix table on ranges', () => {
  const search = dateRange('2024-03') as { low: number; high: number };
  const range = (text: string) => dateRange(text) as { low: number; high: number };
  // Targets: inside, straddling the start, straddling the end, before, after, spanning.
  const inside = range('2024-03-10');
  const overStart = { low: range('2024-02-20').low, high: range('2024-03-10').high };
  const overEnd = { low: range('2024-03-20').low, high: range('2024-04-10').high };
  const before = range('2024-02');
  const after = range('2024-04');
  const spanning = range('2024');
  const table: [SearchPrefix, boolean[]][] = [
    //        inside overStart overEnd before after spanning
    ['eq', [true, false, false, false, false, false]],
    ['ne', [false, true, true, true, true, true]],
    ['gt', [false, false, true, false, true, true]],
    ['lt', [false, true, false, true, false, true]],
    ['ge', [true, false, true, false, true, true]],
    ['le', [true, true, false, true, false, true]],
    ['sa', [false, false, false, false, true, false]],
    ['eb', [false, false, false, true, false, false]],
    ['ap', [true, true, true, false, false, true]],
  ];

  it.each(table)('%s', (prefix, expected) => {
    // act
    const results = [inside, overStart, overEnd, before, after, spanning].map((t) =>
      dateMatches(prefix, search, t),
    );

    // assess
    expect(results).toEqual(expected);
  });
});
