import type { Resource } from '@medplum/fhirtypes';
import { dateRange } from './date-range.ts';
import type { SearchRequest, SortRule } from './search-request.ts';
import { dateTargets } from './search-values.ts';

/** One value per `_sort` key (milliseconds since the epoch), null where the resource has none. */
export type SortKey = (number | null)[];

/** Where an entry stands in a search's order: its sort key, then its id, which makes the order total. */
export interface SortPosition {
  key: SortKey;
  id: string;
}

/** Keeps open ends (a Period without `end`) orderable and JSON-safe in a cursor. */
function finite(n: number): number {
  return Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, n));
}

function sortValue(resource: Resource, lastUpdated: string | undefined, rule: SortRule): number | null {
  const ranges =
    rule.parameter.name === '_lastUpdated'
      ? [dateRange(lastUpdated ?? resource.meta?.lastUpdated ?? '')].filter((r) => r !== undefined)
      : dateTargets(resource, rule.parameter);
  if (ranges.length === 0) return null;
  // Ascending orders by the earliest a resource reaches, descending by the latest (as R4 sorts ranges).
  return finite(
    rule.descending ? Math.max(...ranges.map((r) => r.high)) : Math.min(...ranges.map((r) => r.low)),
  );
}

/**
 * The position of a resource in a search's order.
 * @example sortPosition(observation, '2024-03-05T10:00:00Z', request) // { key: [1709632800001], id: 'example' }
 */
export function sortPosition(
  resource: Resource,
  lastUpdated: string | undefined,
  request: SearchRequest,
): SortPosition {
  return { key: request.sort.map((rule) => sortValue(resource, lastUpdated, rule)), id: resource.id ?? '' };
}

/**
 * Orders two positions by the request's sort keys, resources without a value last whichever the direction,
 * then by id ascending so that no two entries tie.
 */
export function compareSortPositions(a: SortPosition, b: SortPosition, request: SearchRequest): number {
  for (let i = 0; i < request.sort.length; i++) {
    const x = a.key[i] ?? null;
    const y = b.key[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return request.sort[i]?.descending ? y - x : x - y;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Sorts search results by the request's `_sort` (default `-_lastUpdated`, newest first), each with its position.
 * @example sortSearchResults(matches, request).map((r) => r.resource)
 */
export function sortSearchResults<T extends { resource: Resource; lastUpdated?: string }>(
  entries: readonly T[],
  request: SearchRequest,
): (T & { position: SortPosition })[] {
  return entries
    .map((e) => ({ ...e, position: sortPosition(e.resource, e.lastUpdated, request) }))
    .sort((a, b) => compareSortPositions(a.position, b.position, request));
}
