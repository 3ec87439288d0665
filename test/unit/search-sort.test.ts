import type { Flag, Observation, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseSearchRequest } from '#shared/search/search-request';
import { sortSearchResults } from '#shared/search/search-sort';
import { officialExample } from '../support/fixtures.ts';

const nhs = '9000000009';
const observation: Observation = {
  ...officialExample<Observation>('observation-example.json'),
  subject: { reference: `Patient/${nhs}` },
};
const flag: Flag = {
  ...officialExample<Flag>('flag-example.json'),
  subject: { reference: `Patient/${nhs}` },
};

function stored(id: string, lastUpdated: string, effectiveDateTime?: string) {
  return { resource: { ...observation, id, effectiveDateTime } as Observation, lastUpdated };
}

function order(
  entries: { resource: Resource; lastUpdated: string }[],
  sort?: string,
  type = 'Observation',
): string[] {
  const request = parseSearchRequest(type, { patient: [nhs], ...(sort ? { _sort: [sort] } : {}) }, {});
  return sortSearchResults(entries, request).map((e) => e.resource.id as string);
}

const entries = [
  stored('b', '2024-05-01T09:00:00Z', '2024-01-15'),
  stored('a', '2024-05-03T09:00:00Z', '2023-12-01'),
  stored('c', '2024-05-02T09:00:00Z'),
  stored('d', '2024-05-02T09:00:00Z', '2024-02-01T10:30:00Z'),
];

describe('sortSearchResults', () => {
  it('puts the most recently stored first by default, breaking ties by id', () => {
    // act
    const ids = order(entries);

    // assess
    expect(ids).toEqual(['a', 'c', 'd', 'b']);
  });

  it.each([
    ['_lastUpdated', ['b', 'c', 'd', 'a']],
    ['-_lastUpdated', ['a', 'c', 'd', 'b']],
    ['date', ['a', 'b', 'd', 'c']],
    ['-date', ['d', 'b', 'a', 'c']],
    ['-date,_lastUpdated', ['d', 'b', 'a', 'c']],
  ])('_sort=%s orders %j (no value last, either way)', (sort, expected) => {
    // act
    const ids = order(entries, sort);

    // assess
    expect(ids).toEqual(expected);
  });

  it('breaks a tie on the sort key by id, ascending in both directions', () => {
    // prepare
    const tied = [
      stored('z', '2024-05-01T09:00:00Z', '2024-01-01'),
      stored('m', '2024-05-01T09:00:00Z', '2024-01-01'),
    ];

    // act
    const ascending = order(tied, 'date');
    const descending = order(tied, '-date');

    // assess
    expect(ascending).toEqual(['m', 'z']);
    expect(descending).toEqual(['m', 'z']);
  });

  it('orders a later key when the first ties', () => {
    // prepare
    const tied = [
      stored('x', '2024-05-02T09:00:00Z', '2024-01-01'),
      stored('y', '2024-05-01T09:00:00Z', '2024-01-01'),
    ];

    // act
    const ids = order(tied, 'date,_lastUpdated');

    // assess
    expect(ids).toEqual(['y', 'x']);
  });

  it('orders Periods by their start ascending and their end descending', () => {
    // prepare
    const long = {
      resource: { ...flag, id: 'long', period: { start: '2020-01-01', end: '2024-12-31' } },
      lastUpdated: '2024-01-01T00:00:00Z',
    };
    const short = {
      resource: { ...flag, id: 'short', period: { start: '2022-01-01', end: '2022-02-01' } },
      lastUpdated: '2024-01-01T00:00:00Z',
    };
    const open = {
      resource: { ...flag, id: 'open', period: { start: '2023-01-01' } },
      lastUpdated: '2024-01-01T00:00:00Z',
    };

    // act
    const ascending = order([short, open, long], 'date', 'Flag');
    const descending = order([short, long, open], '-date', 'Flag');

    // assess
    expect(ascending).toEqual(['long', 'short', 'open']);
    expect(descending).toEqual(['open', 'long', 'short']);
  });

  it('records each entry’s position for paging', () => {
    // act
    const request = parseSearchRequest('Observation', { patient: [nhs], _sort: ['date'] }, {});
    const [first] = sortSearchResults([entries[0] as (typeof entries)[0]], request);

    // assess
    expect(first?.position).toEqual({ key: [Date.parse('2024-01-15')], id: 'b' });
  });
});
