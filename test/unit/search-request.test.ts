import { describe, expect, it } from 'vitest';
import { BadRequestError } from '#shared/fhir/operation-outcome';
import { foldSearchString, parseSearchRequest, type SearchFilter } from '#shared/search/search-request';
import { refusal } from '../support/refusal.ts';

const nhs = '9000000009';
const withPatient = (query: Record<string, string[]>) => ({ patient: [`Patient/${nhs}`], ...query });

function filterNamed(filters: SearchFilter[], name: string): SearchFilter | undefined {
  return filters.find((f) => f.parameter.name === name);
}

describe('parseSearchRequest: the patient', () => {
  it.each([
    ['patient', `Patient/${nhs}`],
    ['patient', nhs],
    ['patient', `https://api.service.nhs.uk/FHIR/R4/Patient/${nhs}`],
    ['subject', `Patient/${nhs}`],
    ['subject:Patient', nhs],
    ['patient:identifier', `https://fhir.nhs.uk/Id/nhs-number|${nhs}`],
  ])('%s=%s names the patient by NHS number', (key, value) => {
    // prepare
    const query = { [key]: [value] };

    // act
    const request = parseSearchRequest('Observation', query, {});

    // assess
    expect(request.patient).toBe(nhs);
  });

  it('keeps the patient as a filter, spelt one way, so matching checks it too', () => {
    // act
    const request = parseSearchRequest('Condition', { subject: [nhs] }, {});

    // assess
    expect(request.filters[0]).toMatchObject({
      type: 'reference',
      parameter: { name: 'patient' },
      values: [{ resourceType: 'Patient', id: nhs }],
      query: ['patient', `Patient/${nhs}`],
    });
  });

  it('refuses a clinical search without a patient, saying a patient is required', () => {
    // act
    const error = refusal(BadRequestError, () => parseSearchRequest('Observation', { code: ['1234-5'] }, {}));

    // assess
    expect(error.status).toBe(400);
    expect(error.issues[0]?.code).toBe('required');
    expect(error.message).toMatch(/needs a patient.*patient or subject/);
  });

  it('names only `patient` where the type has no `subject`', () => {
    // act
    const error = refusal(BadRequestError, () => parseSearchRequest('AllergyIntolerance', {}, {}));

    // assess
    expect(error.message).toMatch(/give patient=Patient/);
  });

  it('does not require a patient for a type outside the record', () => {
    // act
    const request = parseSearchRequest('Organization', { name: ['Leeds'] }, {});

    // assess
    expect(request.patient).toBeUndefined();
  });

  it.each([
    ['an invalid check digit', { patient: ['Patient/9000000001'] }, /check digit/],
    ['another resource type', { subject: ['Group/9000000009'] }, /not a patient/],
    ['two different patients', { patient: [nhs, '9000000017'] }, /one patient/],
    ['two patients in one value', { patient: [`${nhs},9000000017`] }, /one patient/],
    ['a non-NHS identifier', { 'patient:identifier': [`urn:oid:1.2.3|${nhs}`] }, /nhs-number/],
  ])('refuses %s', (_, query, message) => {
    // act
    const error = refusal(BadRequestError, () => parseSearchRequest('Observation', query, {}));

    // assess
    expect(error.message).toMatch(message);
  });

  it('takes the same patient given as both patient and subject', () => {
    // act
    const request = parseSearchRequest('Observation', { patient: [nhs], subject: [`Patient/${nhs}`] }, {});

    // assess
    expect(request.patient).toBe(nhs);
  });
});

describe('parseSearchRequest: tokens', () => {
  it.each([
    ['29463-7', { code: '29463-7' }],
    ['http://loinc.org|29463-7', { system: 'http://loinc.org', code: '29463-7' }],
    ['|29463-7', { system: '', code: '29463-7' }],
    ['http://loinc.org|', { system: 'http://loinc.org', code: undefined }],
    ['urn:x\\|y|a\\,b', { system: 'urn:x|y', code: 'a,b' }],
  ])('code=%s parses to %o', (text, expected) => {
    // act
    const request = parseSearchRequest('Observation', withPatient({ code: [text] }), {});

    // assess
    expect(filterNamed(request.filters, 'code')).toMatchObject({ type: 'token', values: [expected] });
  });

  it('reads a comma-separated list as alternatives of one filter', () => {
    // act
    const request = parseSearchRequest('Observation', withPatient({ status: ['final,amended'] }), {});

    // assess
    expect(filterNamed(request.filters, 'status')).toMatchObject({
      values: [{ code: 'final' }, { code: 'amended' }],
    });
  });

  it('reads a repeated parameter as filters that all must match', () => {
    // act
    const request = parseSearchRequest(
      'Observation',
      withPatient({ category: ['laboratory', 'vital-signs'] }),
      {},
    );

    // assess
    expect(request.filters.filter((f) => f.parameter.name === 'category')).toHaveLength(2);
  });

  it.each([
    ['code:not', 'not'],
    ['code:text', 'text'],
  ])('%s keeps its modifier', (key, modifier) => {
    // act
    const request = parseSearchRequest('Observation', withPatient({ [key]: ['Body'] }), {});

    // assess
    expect(filterNamed(request.filters, 'code')).toMatchObject({ type: 'token', modifier });
  });

  it.each([
    ['a|b|c', /not a token/],
    ['|', /not a token/],
  ])('refuses the malformed token %s, naming the parameter', (text, message) => {
    // act
    const error = refusal(BadRequestError, () =>
      parseSearchRequest('Observation', withPatient({ code: [text] }), {}),
    );

    // assess
    expect(error.message).toMatch(/'code'/);
    expect(error.message).toMatch(message);
  });
});

describe('parseSearchRequest: other parameter types', () => {
  it('parses :missing on any parameter', () => {
    // act
    const request = parseSearchRequest('Observation', withPatient({ 'encounter:missing': ['true'] }), {});

    // assess
    expect(filterNamed(request.filters, 'encounter')).toMatchObject({ type: 'missing', missing: true });
  });

  it('refuses :missing other than true or false', () => {
    // act
    const error = refusal(BadRequestError, () =>
      parseSearchRequest('Observation', withPatient({ 'encounter:missing': ['yes'] }), {}),
    );

    // assess
    expect(error.message).toMatch(/encounter:missing.*true or false/);
  });

  it('folds a string value for case- and accent-insensitive matching', () => {
    // act
    const request = parseSearchRequest('Patient', { name: ['Bénédicte'] }, {});

    // assess
    expect(filterNamed(request.filters, 'name')).toMatchObject({
      type: 'string',
      values: [{ value: 'Bénédicte', folded: 'benedicte' }],
    });
  });

  it.each([
    ['Encounter/example', { resourceType: 'Encounter', id: 'example' }],
    ['example', { id: 'example' }],
    ['https://other.example.org/fhir/Encounter/f001/_history/2', { resourceType: 'Encounter', id: 'f001' }],
  ])('parses the reference %s', (text, expected) => {
    // act
    const request = parseSearchRequest('Observation', withPatient({ encounter: [text] }), {});

    // assess
    expect(filterNamed(request.filters, 'encounter')).toMatchObject({
      type: 'reference',
      values: [expected],
    });
  });

  it('parses a quantity with system and code', () => {
    // act
    const request = parseSearchRequest(
      'Observation',
      withPatient({ 'value-quantity': ['gt5.4|http://unitsofmeasure.org|mg'] }),
      {},
    );

    // assess
    expect(filterNamed(request.filters, 'value-quantity')).toMatchObject({
      values: [{ prefix: 'gt', value: 5.4, system: 'http://unitsofmeasure.org', code: 'mg' }],
    });
  });

  it('gives a number the range its significant figures imply', () => {
    // act
    const request = parseSearchRequest('Observation', withPatient({ 'value-quantity': ['100'] }), {});

    // assess
    expect(filterNamed(request.filters, 'value-quantity')).toMatchObject({
      values: [{ low: 99.5, high: 100.5 }],
    });
  });

  it('ignores a parameter with an empty value, as FHIR says', () => {
    // act
    const request = parseSearchRequest('Observation', withPatient({ code: [''] }), {});

    // assess
    expect(filterNamed(request.filters, 'code')).toBeUndefined();
  });
});

describe('parseSearchRequest: dates', () => {
  it.each([
    ['2024', 'eq', '2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    ['ge2024-03', 'ge', '2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'],
    ['lt2024-02-29', 'lt', '2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['gt2024-03-05T10:00Z', 'gt', '2024-03-05T10:00:00.000Z', '2024-03-05T10:01:00.000Z'],
    ['le2024-03-05T10:00:00Z', 'le', '2024-03-05T10:00:00.000Z', '2024-03-05T10:00:01.000Z'],
    ['ne2024-03-05T10:00:00+01:00', 'ne', '2024-03-05T09:00:00.000Z', '2024-03-05T09:00:01.000Z'],
    ['eq2024-03-05T10:00:00 01:00', 'eq', '2024-03-05T09:00:00.000Z', '2024-03-05T09:00:01.000Z'],
    ['sa2024-03-05T10:00:00.5Z', 'sa', '2024-03-05T10:00:00.500Z', '2024-03-05T10:00:00.600Z'],
  ])('date=%s is %s over [%s, %s)', (text, prefix, low, high) => {
    // act
    const request = parseSearchRequest('Observation', withPatient({ date: [text] }), {});

    // assess
    expect(filterNamed(request.filters, 'date')).toMatchObject({
      type: 'date',
      values: [{ prefix, range: { low: Date.parse(low), high: Date.parse(high) } }],
    });
  });

  it('widens ap by a tenth of the gap between now and the date', () => {
    // prepare
    const now = Date.parse('2024-11-01T00:00:00Z');

    // act
    const request = parseSearchRequest('Observation', withPatient({ date: ['ap2024-01-01'] }), { now });

    // assess
    const day = 86_400_000;
    expect(filterNamed(request.filters, 'date')).toMatchObject({
      values: [
        {
          range: { low: Date.parse('2024-01-01') - 30.5 * day, high: Date.parse('2024-01-02') + 30.5 * day },
        },
      ],
    });
  });

  it.each([
    ['2024-13', /'2024-13' is not a date/],
    ['2024-02-30', /is not a date/],
    ['24-01-01', /is not a date/],
    ['2024-01-01T25:00Z', /is not a date/],
    ['2024-01-01T10:00:00+15:00', /is not a date/],
    ['today', /'to' is not a prefix/],
    ['xx2024', /'xx' is not a prefix/],
  ])('refuses date=%s, saying what is wrong and where', (text, message) => {
    // act
    const error = refusal(BadRequestError, () =>
      parseSearchRequest('Observation', withPatient({ date: [text] }), {}),
    );

    // assess
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/Search parameter 'date'/);
    expect(error.message).toMatch(message);
  });
});

describe('parseSearchRequest: unknown parameters', () => {
  it('refuses an unknown parameter with a 400 naming it', () => {
    // act
    const error = refusal(BadRequestError, () =>
      parseSearchRequest('Observation', withPatient({ colour: ['red'] }), {}),
    );

    // assess
    expect(error.status).toBe(400);
    expect(error.outcome.issue[0]?.diagnostics).toMatch(/'colour'/);
  });

  it('ignores and lists an unknown parameter when lenient', () => {
    // act
    const request = parseSearchRequest('Observation', withPatient({ colour: ['red'] }), { lenient: true });

    // assess
    expect(request.ignored).toEqual(['colour']);
    expect(request.filters.map((f) => f.parameter.name)).toEqual(['patient']);
  });

  it.each([
    ['an unsupported modifier', 'code:below'],
    ['a chained parameter', 'subject.name'],
    ['a parameter of another type', 'vaccine-code'],
  ])('refuses %s unless lenient', (_, key) => {
    // act
    const strict = refusal(BadRequestError, () =>
      parseSearchRequest('Observation', withPatient({ [key]: ['x'] }), {}),
    );
    const lenient = parseSearchRequest('Observation', withPatient({ [key]: ['x'] }), { lenient: true });

    // assess
    expect(strict.message).toContain(key);
    expect(lenient.ignored).toEqual([key]);
  });

  it('still refuses a malformed value of a known parameter when lenient', () => {
    // act
    const error = refusal(BadRequestError, () =>
      parseSearchRequest('Observation', withPatient({ date: ['2024-99'] }), { lenient: true }),
    );

    // assess
    expect(error.status).toBe(400);
  });
});

describe('parseSearchRequest: result parameters', () => {
  it('pages 20 at a time newest first by default', () => {
    // act
    const request = parseSearchRequest('Observation', withPatient({}), {});

    // assess
    expect(request.count).toBe(20);
    expect(request.sort.map((s) => [s.parameter.name, s.descending])).toEqual([['_lastUpdated', true]]);
  });

  it.each([
    ['1', 1],
    ['100', 100],
    ['35', 35],
  ])('_count=%s is a page of %i', (text, count) => {
    // act
    const request = parseSearchRequest('Observation', withPatient({ _count: [text] }), {});

    // assess
    expect(request.count).toBe(count);
  });

  it.each(['0', '101', '-1', '2.5', 'ten', '1e2'])('refuses _count=%s', (text) => {
    // act
    const error = refusal(BadRequestError, () =>
      parseSearchRequest('Observation', withPatient({ _count: [text] }), {}),
    );

    // assess
    expect(error.message).toMatch(/'_count'.*from 1 to 100/);
  });

  it.each([
    ['date', 'date', false],
    ['-date', 'date', true],
    ['_lastUpdated', '_lastUpdated', false],
    ['-_lastUpdated', '_lastUpdated', true],
  ])('_sort=%s sorts by %s', (text, name, descending) => {
    // act
    const request = parseSearchRequest('Observation', withPatient({ _sort: [text] }), {});

    // assess
    expect(request.sort).toMatchObject([{ parameter: { name }, descending }]);
  });

  it('sorts by any date parameter of the type', () => {
    // act
    const request = parseSearchRequest(
      'Condition',
      withPatient({ _sort: ['-onset-date,recorded-date'] }),
      {},
    );

    // assess
    expect(request.sort.map((s) => s.parameter.name)).toEqual(['onset-date', 'recorded-date']);
  });

  it.each(['code', 'status', 'nonsense'])('refuses _sort=%s, listing what can be sorted by', (text) => {
    // act
    const error = refusal(BadRequestError, () =>
      parseSearchRequest('Observation', withPatient({ _sort: [text] }), {}),
    );

    // assess
    expect(error.message).toMatch(/cannot sort Observation.*_lastUpdated, date/);
  });

  it.each(['json', 'application/fhir+json', 'application/json'])('accepts _format=%s', (format) => {
    // act
    const request = parseSearchRequest('Observation', withPatient({ _format: [format] }), {});

    // assess
    expect(request.filters).toHaveLength(1);
  });

  it('refuses _format=xml', () => {
    // act
    const error = refusal(BadRequestError, () =>
      parseSearchRequest('Observation', withPatient({ _format: ['xml'] }), {}),
    );

    // assess
    expect(error.issues[0]?.code).toBe('not-supported');
  });

  it('keeps _total and the paging cursor', () => {
    // act
    const request = parseSearchRequest(
      'Observation',
      withPatient({ _total: ['none'], _cursor: ['abc.def'] }),
      {},
    );

    // assess
    expect(request).toMatchObject({ total: 'none', cursor: 'abc.def' });
  });

  it('refuses two cursors', () => {
    // act
    const error = refusal(BadRequestError, () =>
      parseSearchRequest('Observation', withPatient({ _cursor: ['a', 'b'] }), {}),
    );

    // assess
    expect(error.message).toMatch(/'_cursor'.*at most once/);
  });
});

describe('foldSearchString', () => {
  it.each([
    ['Bénédicte', 'benedicte'],
    ['  du   Marché ', 'du marche'],
    ['ÅNGSTRÖM', 'angstrom'],
  ])('folds %s to %s', (text, folded) => {
    // act
    const result = foldSearchString(text);

    // assess
    expect(result).toBe(folded);
  });
});
