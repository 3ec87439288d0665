import type { Resource } from '@medplum/fhirtypes';
import { cursorBinding, decodeCursor, encodeCursor } from './search-cursor.ts';
import { matchesSearch } from './search-match.ts';
import type { SearchRequest } from './search-request.ts';
import { compareSortPositions, sortSearchResults } from './search-sort.ts';

/** A stored resource of the patient and type searched, with the time its current version was stored. */
export interface SearchCandidate {
  resource: Resource;
  lastUpdated: string;
}

/** What paging needs: the server's cursor secret and the client asking, to whom the cursor is bound. */
export interface SearchPaging {
  secret: string;
  clientId: string;
  /** The clock, for tests. */
  now?: number;
}

export interface SearchResult {
  /** This page, in order. */
  matches: Resource[];
  /** How many resources match in all. */
  total: number;
  /** The cursor of the next page, when there is one. */
  nextCursor?: string;
}

/**
 * Runs a parsed search over one patient's resources of one type: filter, sort, then the page after the
 * request's cursor. Paging is by keyset (the last entry's sort key and id), so resources stored between
 * pages neither repeat nor push others off a page.
 * @example runSearch(candidates, parseSearchRequest('Observation', query, {}), { secret, clientId })
 */
export function runSearch(
  candidates: readonly SearchCandidate[],
  request: SearchRequest,
  paging: SearchPaging,
): SearchResult {
  const binding = cursorBinding(request, paging.clientId);
  // Decode first: a bad cursor is refused whatever the data.
  const after = request.cursor
    ? decodeCursor(request.cursor, binding, paging.secret, { now: paging.now })
    : undefined;
  const matching = candidates.filter((c) => matchesSearch(c.resource, request, c.lastUpdated));
  const sorted = sortSearchResults(matching, request);
  let start = 0;
  if (after) {
    // The first entry after the position, by binary search over the sorted entries.
    let high = sorted.length;
    while (start < high) {
      const middle = (start + high) >>> 1;
      const entry = sorted[middle];
      if (entry && compareSortPositions(entry.position, after, request) <= 0) start = middle + 1;
      else high = middle;
    }
  }
  const page = sorted.slice(start, start + request.count);
  const last = page.at(-1);
  const more = start + request.count < sorted.length;
  return {
    matches: page.map((e) => e.resource),
    total: sorted.length,
    ...(more && last
      ? { nextCursor: encodeCursor(last.position, binding, paging.secret, { now: paging.now }) }
      : {}),
  };
}
