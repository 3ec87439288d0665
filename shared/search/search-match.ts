import type { Resource } from '@medplum/fhirtypes';
import { type DateRange, dateRange } from './date-range.ts';
import type { NumberValue, SearchFilter, SearchPrefix, SearchRequest, TokenValue } from './search-request.ts';
import { foldSearchString } from './search-request.ts';
import {
  dateTargets,
  hasSearchValue,
  numberTargets,
  quantityTargets,
  referenceTargets,
  stringTargets,
  type TokenTarget,
  tokenTargets,
  uriTargets,
} from './search-values.ts';

/**
 * Compares a resource's date range with a search value's, as the R4 prefix table says (search §3.1.1.4.2):
 * `eq` when the search range contains the resource's, `gt` when the resource's reaches past its end, `ge` when
 * either, `sa` when the resource's starts after it, and so on. Ranges are half-open.
 * @example dateMatches('ge', dateRange('2024-01-01')!, dateRange('2024-01-01T10:00:00Z')!) // true
 */
export function dateMatches(prefix: SearchPrefix, search: DateRange, target: DateRange): boolean {
  const contains = search.low <= target.low && target.high <= search.high;
  switch (prefix) {
    case 'eq':
      return contains;
    case 'ne':
      return !contains;
    case 'gt':
      return target.high > search.high;
    case 'lt':
      return target.low < search.low;
    case 'ge':
      return target.high > search.high || contains;
    case 'le':
      return target.low < search.low || contains;
    case 'sa':
      return target.low >= search.high;
    case 'eb':
      return target.high <= search.low;
    case 'ap':
      return target.low < search.high && target.high > search.low;
  }
}

/**
 * Compares a number with a search value: `eq`, `ne` and `ap` within the precision the value was written with
 * (`100` means [99.5, 100.5)), the others against the value itself.
 */
export function numberMatches(search: NumberValue, target: number): boolean {
  const within = search.low <= target && target < search.high;
  switch (search.prefix) {
    case 'eq':
      return within;
    case 'ne':
      return !within;
    case 'gt':
    case 'sa':
      return target > search.value;
    case 'lt':
    case 'eb':
      return target < search.value;
    case 'ge':
      return target >= search.value;
    case 'le':
      return target <= search.value;
    case 'ap':
      return within || Math.abs(target - search.value) <= Math.abs(search.value) * 0.1;
  }
}

/** `code`, `system|code`, `|code` (no system) and `system|` (any code of the system). */
function tokenMatches(search: TokenValue, target: TokenTarget): boolean {
  if (search.code !== undefined && target.code !== search.code) return false;
  if (search.system === '') return target.system === undefined;
  return search.system === undefined || target.system === search.system;
}

/** `:text`: the search words start the display or text, or a word in it. */
function textMatches(search: string, target: TokenTarget): boolean {
  if (target.text === undefined) return false;
  const text = foldSearchString(target.text);
  return text.startsWith(search) || text.includes(` ${search}`);
}

function lastUpdatedRange(resource: Resource, lastUpdated: string | undefined): DateRange[] {
  const range = dateRange(lastUpdated ?? resource.meta?.lastUpdated ?? '');
  return range ? [range] : [];
}

function matchesFilter(resource: Resource, filter: SearchFilter, lastUpdated: string | undefined): boolean {
  const { parameter } = filter;
  switch (filter.type) {
    case 'missing': {
      const has =
        parameter.name === '_lastUpdated'
          ? lastUpdatedRange(resource, lastUpdated).length > 0
          : hasSearchValue(resource, parameter);
      return has !== filter.missing;
    }
    case 'token': {
      const targets = tokenTargets(resource, parameter);
      const found = filter.values.some((v) =>
        targets.some((t) => (filter.modifier === 'text' ? textMatches(v.text ?? '', t) : tokenMatches(v, t))),
      );
      // `:not` also takes resources without a value (R4 search §3.1.1.4.9).
      return filter.modifier === 'not' ? !found : found;
    }
    case 'date': {
      const targets =
        parameter.name === '_lastUpdated'
          ? lastUpdatedRange(resource, lastUpdated)
          : dateTargets(resource, parameter);
      return filter.values.some((v) => targets.some((t) => dateMatches(v.prefix, v.range, t)));
    }
    case 'string': {
      const targets = stringTargets(resource, parameter);
      if (filter.modifier === 'exact') return filter.values.some((v) => targets.includes(v.value));
      const folded = targets.map(foldSearchString);
      return filter.values.some((v) =>
        folded.some((t) => (filter.modifier === 'contains' ? t.includes(v.folded) : t.startsWith(v.folded))),
      );
    }
    case 'reference': {
      const targets = referenceTargets(resource, parameter);
      return filter.values.some((v) =>
        targets.some((t) => {
          if (v.identifier) return t.identifier !== undefined && tokenMatches(v.identifier, t.identifier);
          if (v.url !== undefined) return t.reference === v.url;
          return t.id === v.id && (v.resourceType === undefined || t.resourceType === v.resourceType);
        }),
      );
    }
    case 'uri': {
      const targets = uriTargets(resource, parameter);
      return filter.values.some((v) =>
        targets.some((t) =>
          filter.modifier === 'below'
            ? t.startsWith(v)
            : filter.modifier === 'above'
              ? v.startsWith(t)
              : t === v,
        ),
      );
    }
    case 'number': {
      const targets = numberTargets(resource, parameter);
      return filter.values.some((v) => targets.some((t) => numberMatches(v, t)));
    }
    case 'quantity': {
      const targets = quantityTargets(resource, parameter);
      return filter.values.some((v) =>
        targets.some((t) => {
          if (v.system !== undefined && t.system !== v.system) return false;
          if (v.code !== undefined && t.code !== v.code && (v.system !== undefined || t.unit !== v.code))
            return false;
          return numberMatches(v, t.value);
        }),
      );
    }
  }
}

/**
 * Whether a resource meets every filter of a search. `lastUpdated` is the stored version's time, which
 * `_lastUpdated` compares (the resource's own `meta.lastUpdated` when not given).
 * @example matchesSearch(observation, parseSearchRequest('Observation', { patient: ['9000000009'], code: ['http://loinc.org|29463-7'] }))
 */
export function matchesSearch(resource: Resource, request: SearchRequest, lastUpdated?: string): boolean {
  if (resource.resourceType !== request.resourceType) return false;
  return request.filters.every((f) => matchesFilter(resource, f, lastUpdated));
}
