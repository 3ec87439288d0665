import type { SearchRequest } from './search-request.ts';

/**
 * Encodes a query string, leaving `:`, `,` and `/` readable as FHIR examples write them.
 * @example formatQuery([['code', 'http://loinc.org|29463-7']]) // 'code=http://loinc.org%7C29463-7'
 */
export function formatQuery(parameters: [string, string][]): string {
  const encode = (s: string) =>
    encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%2F/gi, '/');
  return parameters.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
}

function sortText(request: SearchRequest): string {
  return request.sort.map((r) => (r.descending ? '-' : '') + r.parameter.name).join(',');
}

function filterParameters(request: SearchRequest): [string, string][] {
  return request.filters
    .map((f) => f.query)
    .sort(([k1, v1], [k2, v2]) => (k1 === k2 ? (v1 < v2 ? -1 : v1 > v2 ? 1 : 0) : k1 < k2 ? -1 : 1));
}

/**
 * What a search selects and in what order, in one canonical form: its filters sorted by name, then `_sort`.
 * Two requests that mean the same search give the same text, whatever order or spelling the client used.
 * @example canonicalSearchQuery(request) // 'code=http://loinc.org%7C29463-7&patient=Patient/9000000009&_sort=-_lastUpdated'
 */
export function canonicalSearchQuery(request: SearchRequest): string {
  return formatQuery([...filterParameters(request), ['_sort', sortText(request)]]);
}

/**
 * The query parameters of a page of a search, as the server understood it: filters, `_sort`, `_count`,
 * `_total` when asked, and the paging cursor when there is one. Ignored parameters are left out.
 */
export function searchQueryParameters(request: SearchRequest, cursor?: string): [string, string][] {
  const parameters: [string, string][] = [
    ...filterParameters(request),
    ['_sort', sortText(request)],
    ['_count', String(request.count)],
  ];
  if (request.total) parameters.push(['_total', request.total]);
  if (cursor) parameters.push(['_cursor', cursor]);
  return parameters;
}
