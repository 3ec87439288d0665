import { describe, expect, it } from 'vitest';
import { cursorBinding, decodeCursor, encodeCursor } from '#shared/search/search-cursor';
import { searchLinks } from '#shared/search/search-links';
import { canonicalSearchQuery } from '#shared/search/search-query';
import { parseSearchRequest } from '#shared/search/search-request';

const base = 'https://api.example.nhs.uk/shared-care-record/FHIR/R4';
const secret = 'test-secret';

function queryOf(url: string): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  for (const [k, v] of new URL(url).searchParams) query[k] = [...(query[k] ?? []), v];
  return query;
}

const request = parseSearchRequest(
  'Observation',
  {
    status: ['final'],
    subject: ['Patient/9000000009'],
    code: ['http://loinc.org|29463-7'],
    date: ['ge2024-01-01', 'lt2024-07-01'],
  },
  {},
);

describe('searchLinks', () => {
  it('gives an absolute self link with the search in canonical form', () => {
    // act
    const links = searchLinks(base, request);

    // assess
    expect(links).toEqual([
      {
        relation: 'self',
        url: `${base}/Observation?code=http://loinc.org%7C29463-7&date=ge2024-01-01&date=lt2024-07-01&patient=Patient/9000000009&status=final&_sort=-_lastUpdated&_count=20`,
      },
    ]);
  });

  it('adds a next link with the cursor', () => {
    // act
    const links = searchLinks(`${base}/`, request, 'abc.def');

    // assess
    expect(links[1]?.relation).toBe('next');
    expect(queryOf(links[1]?.url as string)._cursor).toEqual(['abc.def']);
    expect(links[1]?.url.startsWith(`${base}/Observation?`)).toBe(true);
  });

  it('keeps the current cursor in the self link of a later page', () => {
    // prepare
    const later = { ...request, cursor: 'current.cursor' };

    // act
    const [self] = searchLinks(base, later, 'next.cursor');

    // assess
    expect(queryOf(self?.url as string)._cursor).toEqual(['current.cursor']);
  });

  it('leaves out parameters the search ignored', () => {
    // prepare
    const lenient = parseSearchRequest(
      'Observation',
      { patient: ['9000000009'], colour: ['red'] },
      { lenient: true },
    );

    // act
    const [self] = searchLinks(base, lenient);

    // assess
    expect(self?.url).not.toContain('colour');
  });

  it('escapes values so that they parse back to the same search', () => {
    // prepare
    const awkward = parseSearchRequest(
      'Observation',
      {
        patient: ['9000000009'],
        code: ['urn:x\\|y|a\\,b & c', 'http://snomed.info/sct|'],
        'value-string:contains': ['50%'],
      },
      {},
    );

    // act
    const [self] = searchLinks(base, awkward);
    const reparsed = parseSearchRequest('Observation', queryOf(self?.url as string), {});

    // assess
    expect(canonicalSearchQuery(reparsed)).toBe(canonicalSearchQuery(awkward));
    expect(reparsed.filters).toHaveLength(awkward.filters.length);
    expect(reparsed.filters).toEqual(expect.arrayContaining(awkward.filters));
  });

  it('gives a next link whose cursor the same client can use', () => {
    // prepare
    const cursor = encodeCursor({ key: [1], id: 'obs-1' }, cursorBinding(request, 'client-gp-1'), secret);
    const [, next] = searchLinks(base, request, cursor);

    // act
    const followed = parseSearchRequest('Observation', queryOf(next?.url as string), {});
    const position = decodeCursor(followed.cursor as string, cursorBinding(followed, 'client-gp-1'), secret);

    // assess
    expect(position).toEqual({ key: [1], id: 'obs-1' });
  });
});
