import type { BundleLink } from '@medplum/fhirtypes';
import { formatQuery, searchQueryParameters } from './search-query.ts';
import type { SearchRequest } from './search-request.ts';

/**
 * The `link` of a `searchset` Bundle: `self` (this page, as the server understood the search) and `next`
 * when there are more, both absolute as FHIR expects.
 * @example searchLinks('https://api.example.nhs.uk/FHIR/R4', request, nextCursor)
 * // [{ relation: 'self', url: 'https://…/Observation?patient=Patient/9000000009&_sort=-_lastUpdated&_count=20' }, { relation: 'next', url: '…&_cursor=…' }]
 */
export function searchLinks(fhirBase: string, request: SearchRequest, nextCursor?: string): BundleLink[] {
  const base = `${fhirBase.replace(/\/+$/, '')}/${request.resourceType}`;
  const url = (cursor?: string) => `${base}?${formatQuery(searchQueryParameters(request, cursor))}`;
  const links: BundleLink[] = [{ relation: 'self', url: url(request.cursor) }];
  if (nextCursor) links.push({ relation: 'next', url: url(nextCursor) });
  return links;
}
