import type { Observation, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '#shared/fhir/operation-outcome';
import { runSearch, type SearchCandidate } from '#shared/search/run-search';
import { parseSearchRequest } from '#shared/search/search-request';
import { officialExample } from '../support/fixtures.ts';

const nhs = '9000000009';
const observation: Observation = {
  ...officialExample<Observation>('observation-example.json'),
  subject: { reference: `Patient/${nhs}` },
};
const paging = { secret: 'test-secret', clientId: 'client-gp-1' };
const minute = 60_000;
const start = Date.parse('2024-01-01T00:00:00Z');

/** `n` weights, a minute apart, some stored in the same millisecond so that ids must break ties. */
function weights(n: number, from = 0): SearchCandidate[] {
  return Array.from({ length: n }, (_, i) => ({
    resource: {
      ...observation,
      id: `obs-${String(from + i).padStart(4, '0')}`,
      effectiveDateTime: new Date(start + (from + i) * minute).toISOString(),
      status: (from + i) % 5 === 0 ? 'amended' : 'final',
    } as Observation,
    lastUpdated: new Date(start + Math.floor((from + i) / 3) * minute).toISOString(),
  }));
}

function search(query: Record<string, string[]>, cursor?: string) {
  return parseSearchRequest(
    'Observation',
    { patient: [nhs], ...query, ...(cursor ? { _cursor: [cursor] } : {}) },
    {},
  );
}

function ids(resources: Resource[]): string[] {
  return resources.map((r) => r.id as string);
}

describe('runSearch', () => {
  it('filters, then counts all matches', () => {
    // act
    const result = runSearch(weights(50), search({ status: ['amended'] }), paging);

    // assess
    expect(result.total).toBe(10);
    expect(result.matches.every((r) => (r as Observation).status === 'amended')).toBe(true);
  });

  it('returns one page with no next cursor when everything fits', () => {
    // act
    const result = runSearch(weights(5), search({}), paging);

    // assess
    expect(result.matches).toHaveLength(5);
    expect(result.nextCursor).toBeUndefined();
  });

  it('pages through three pages with no duplicates or gaps', () => {
    // prepare
    const candidates = weights(50);
    const everything = ids(runSearch(candidates, search({ _count: ['100'] }), paging).matches);

    // act
    const first = runSearch(candidates, search({ _count: ['20'] }), paging);
    const second = runSearch(candidates, search({ _count: ['20'] }, first.nextCursor), paging);
    const third = runSearch(candidates, search({ _count: ['20'] }, second.nextCursor), paging);

    // assess
    expect([first, second, third].map((p) => p.matches.length)).toEqual([20, 20, 10]);
    expect([...ids(first.matches), ...ids(second.matches), ...ids(third.matches)]).toEqual(everything);
    expect(third.nextCursor).toBeUndefined();
    expect(second.total).toBe(50);
  });

  it.each(['date', '-date', '_lastUpdated', '-_lastUpdated'])(
    'pages without gaps when sorted by %s',
    (sort) => {
      // prepare
      const candidates = weights(23);
      const everything = ids(
        runSearch(candidates, search({ _sort: [sort], _count: ['100'] }), paging).matches,
      );

      // act
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = runSearch(candidates, search({ _sort: [sort], _count: ['7'] }, cursor), paging);
        seen.push(...ids(page.matches));
        cursor = page.nextCursor;
      } while (cursor);

      // assess
      expect(seen).toEqual(everything);
    },
  );

  it('neither repeats nor skips when a newer resource is stored between pages', () => {
    // prepare
    const candidates = weights(30);
    const first = runSearch(candidates, search({ _count: ['10'] }), paging);
    const newer = { ...weights(1, 1000)[0], lastUpdated: '2025-01-01T00:00:00Z' } as SearchCandidate;

    // act
    const second = runSearch([...candidates, newer], search({ _count: ['10'] }, first.nextCursor), paging);

    // assess
    const expected = ids(runSearch(candidates, search({ _count: ['100'] }), paging).matches).slice(10, 20);
    expect(ids(second.matches)).toEqual(expected);
  });

  it('does not skip when the last resource of a page is deleted before the next', () => {
    // prepare
    const candidates = weights(30);
    const first = runSearch(candidates, search({ _count: ['10'] }), paging);
    const lastShown = first.matches.at(-1)?.id;

    // act
    const second = runSearch(
      candidates.filter((c) => c.resource.id !== lastShown),
      search({ _count: ['10'] }, first.nextCursor),
      paging,
    );

    // assess
    const expected = ids(runSearch(candidates, search({ _count: ['100'] }), paging).matches).slice(10, 20);
    expect(ids(second.matches)).toEqual(expected);
  });

  it.each([
    ['another client', { ...paging, clientId: 'client-acute-1' }, {}],
    ['another query', paging, { status: ['final'] }],
  ])('refuses a next cursor used by %s', (_, otherPaging, otherQuery) => {
    // prepare
    const first = runSearch(weights(30), search({ _count: ['10'] }), paging);

    // act
    const act = () =>
      runSearch(weights(30), search({ _count: ['10'], ...otherQuery }, first.nextCursor), otherPaging);

    // assess
    expect(act).toThrow(BadRequestError);
  });

  it('refuses a next cursor used for another patient', () => {
    // prepare
    const first = runSearch(weights(30), search({ _count: ['10'] }), paging);
    const other = parseSearchRequest(
      'Observation',
      { patient: ['9000000017'], _cursor: [first.nextCursor as string] },
      {},
    );

    // act
    const act = () => runSearch([], other, paging);

    // assess
    expect(act).toThrow('invalid or expired paging cursor');
  });

  it('refuses an expired next cursor', () => {
    // prepare
    const first = runSearch(weights(30), search({ _count: ['10'] }), { ...paging, now: start });

    // act
    const act = () =>
      runSearch(weights(30), search({ _count: ['10'] }, first.nextCursor), {
        ...paging,
        now: start + 2 * 3600_000,
      });

    // assess
    expect(act).toThrow('invalid or expired paging cursor');
  });
});
