import {
  type SearchParameterDefinition,
  searchParameter,
  searchParameters,
} from '../fhir/definitions/search-parameters.ts';
import { isValidNhsNumber, NHS_NUMBER_SYSTEM, nhsNumberProblem } from '../fhir/nhs-number.ts';
import { BadRequestError } from '../fhir/operation-outcome.ts';
import { resourceType as resourceTypeDefinition } from '../service/resource-types.ts';
import { type DateRange, dateRange } from './date-range.ts';
import { referencedResource } from './search-values.ts';

/** Comparators of date, number and quantity values (R4 search §3.1.1.4.2). */
export type SearchPrefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap';

/** `[system]|[code]`: system undefined matches any system, `''` only codes without one; code undefined any code. */
export interface TokenValue {
  system?: string;
  code?: string;
  /** For `:text`: the words to look for in the display or text, folded as strings are. */
  text?: string;
}

export interface DateValue {
  prefix: SearchPrefix;
  /** The range the value stands for; for `ap`, already widened by the approximation. */
  range: DateRange;
}

export interface StringValue {
  /** As given, for `:exact`. */
  value: string;
  /** Case, accents and runs of whitespace folded, for the default match and `:contains`. */
  folded: string;
}

/** `Patient/123` and absolute URLs ending so name a type and id; a bare `123` only an id; other URLs are matched whole. */
export interface ReferenceValue {
  resourceType?: string;
  id?: string;
  url?: string;
  /** For `:identifier`. */
  identifier?: TokenValue;
}

export interface NumberValue {
  prefix: SearchPrefix;
  value: number;
  /** The range the value's significant figures imply (`100` is [99.5, 100.5)), used by `eq`, `ne` and `ap`. */
  low: number;
  high: number;
}

export interface QuantityValue extends NumberValue {
  system?: string;
  code?: string;
}

interface Filter<Type extends string, Value, Modifier extends string | undefined = undefined> {
  type: Type;
  parameter: SearchParameterDefinition;
  modifier?: Modifier;
  /** Alternatives: the filter matches when any matches (`code=a,b`). */
  values: Value[];
  /** The parameter in canonical query form: name (with modifier) and value text. */
  query: [string, string];
}

/**
 * One parameter of a search, parsed. A request's filters all must match (repeating a parameter is AND);
 * within a filter any value may (a comma-separated list is OR).
 */
export type SearchFilter =
  | Filter<'token', TokenValue, 'not' | 'text'>
  | Filter<'date', DateValue>
  | Filter<'string', StringValue, 'exact' | 'contains'>
  | Filter<'reference', ReferenceValue, string>
  | Filter<'uri', string, 'below' | 'above'>
  | Filter<'number', NumberValue>
  | Filter<'quantity', QuantityValue>
  | (Omit<Filter<'missing', never>, 'values'> & { missing: boolean });

/** One key of `_sort`: `_lastUpdated` or a date parameter of the type. */
export interface SortRule {
  parameter: SearchParameterDefinition;
  descending: boolean;
}

/**
 * A search, parsed once from the query string: everything downstream (matching, sorting, paging, links)
 * works on this, never on the raw parameters.
 */
export interface SearchRequest {
  resourceType: string;
  /** The NHS number of the patient whose record is searched, from `patient` or `subject`. */
  patient: string | undefined;
  filters: SearchFilter[];
  /** The order of results; `-_lastUpdated` when `_sort` is not given. The resource id breaks ties. */
  sort: SortRule[];
  /** Page size, 1 to 100. */
  count: number;
  /** The opaque paging position from a `next` link. */
  cursor: string | undefined;
  /** `_total` as asked; the caller may leave `Bundle.total` out for `none`. */
  total: 'none' | 'estimate' | 'accurate' | undefined;
  /** Parameters left out under `Prefer: handling=lenient`, to report in an OperationOutcome. */
  ignored: string[];
}

export interface SearchRequestOptions {
  /** `Prefer: handling=lenient`: unknown or unsupported parameters are ignored (and listed) instead of refused. */
  lenient?: boolean;
  /** The clock for `ap` on dates, which approximates relative to now. */
  now?: number;
}

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 100;

const prefixes = new Set<string>(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap']);
const jsonFormats = new Set(['json', 'application/json', 'application/fhir+json', 'application/json+fhir']);
const modifiersByType: Record<SearchParameterDefinition['type'], string[]> = {
  token: ['not', 'text'],
  date: [],
  string: ['exact', 'contains'],
  reference: ['identifier'],
  uri: ['below', 'above'],
  number: [],
  quantity: [],
};

/** An unknown or unsupported parameter: refused, unless the caller asked for lenient handling. */
class UnsupportedParameter extends Error {}

/** Splits at `separator` where not escaped with `\`; the parts keep their escapes. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[++i];
    } else if (c === separator) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unescapeSearchValue(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** Escapes the characters FHIR search gives meaning to: `\`, `,`, `|`, `$`. */
export function escapeSearchValue(text: string): string {
  return text.replace(/[\\,|$]/g, '\\$&');
}

/**
 * Folds a string as R4 string search compares them: case and accents ignored, whitespace runs as one space.
 * @example foldSearchString('  Bénédicte  du Marché ') // 'benedicte du marche'
 */
export function foldSearchString(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

function invalid(name: string, problem: string): BadRequestError {
  return new BadRequestError(`Search parameter '${name}': ${problem}`, 'invalid');
}

function splitPrefix(name: string, text: string): [SearchPrefix, string] {
  const m = /^([a-z]{2})(.*)$/.exec(text);
  if (!m) return ['eq', text];
  if (!prefixes.has(m[1] as string)) {
    throw invalid(name, `'${m[1]}' is not a prefix; use one of eq, ne, gt, lt, ge, le, sa, eb, ap`);
  }
  return [m[1] as SearchPrefix, m[2] as string];
}

function parseDate(name: string, text: string, now: number): DateValue {
  const [prefix, rest] = splitPrefix(name, text);
  // A `+` in a time zone arrives as a space when the client did not percent-encode it.
  const range = dateRange(rest.replace(/ (\d{2}:\d{2})$/, '+$1'));
  if (!range) {
    throw invalid(
      name,
      `'${rest}' is not a date; use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|±hh:mm], with an optional prefix`,
    );
  }
  if (prefix !== 'ap') return { prefix, range };
  // R4 suggests approximating by 10% of the gap between now and the value.
  const margin = Math.abs(now - range.low) * 0.1;
  return { prefix, range: { low: range.low - margin, high: range.high + margin } };
}

function parseNumber(name: string, text: string): NumberValue {
  const [prefix, rest] = splitPrefix(name, text);
  const m = /^([+-]?\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(rest);
  if (!m) throw invalid(name, `'${rest}' is not a number`);
  const value = Number(rest);
  const half = 0.5 * 10 ** (Number(m[3] ?? 0) - (m[2]?.length ?? 0));
  return { prefix, value, low: value - half, high: value + half };
}

function parseQuantity(name: string, text: string): QuantityValue {
  const parts = splitUnescaped(text, '|');
  if (parts.length !== 1 && parts.length !== 3) {
    throw invalid(name, `'${text}' is not a quantity; use [prefix]number, or [prefix]number|system|code`);
  }
  const number = parseNumber(name, parts[0] as string);
  const system = parts[1] ? unescapeSearchValue(parts[1]) : undefined;
  const code = parts[2] ? unescapeSearchValue(parts[2]) : undefined;
  return { ...number, system, code };
}

function parseToken(name: string, text: string): TokenValue {
  const parts = splitUnescaped(text, '|');
  if (parts.length > 2 || (parts.length === 2 && parts[0] === '' && parts[1] === '')) {
    throw invalid(name, `'${text}' is not a token; use code, system|code, |code or system|`);
  }
  if (parts.length === 1) return { code: unescapeSearchValue(parts[0] as string) };
  const code = parts[1] === '' ? undefined : unescapeSearchValue(parts[1] as string);
  return { system: unescapeSearchValue(parts[0] as string), code };
}

function tokenText(value: TokenValue): string {
  if (value.system === undefined) return escapeSearchValue(value.code ?? '');
  return `${escapeSearchValue(value.system)}|${escapeSearchValue(value.code ?? '')}`;
}

function parseReference(name: string, text: string, modifier: string | undefined): ReferenceValue {
  if (modifier === 'identifier') return { identifier: parseToken(name, text) };
  const value = unescapeSearchValue(text);
  const named = value.includes('/') ? referencedResource(value) : undefined;
  if (named) {
    if (modifier && modifier !== named.resourceType) {
      throw invalid(name, `'${value}' is not a ${modifier} reference`);
    }
    return named;
  }
  if (value.includes('/') || value.includes(':')) return { url: value };
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(value)) throw invalid(name, `'${value}' is not a resource id`);
  return { resourceType: modifier, id: value };
}

function referenceText(value: ReferenceValue): string {
  if (value.identifier) return tokenText(value.identifier);
  if (value.url !== undefined) return escapeSearchValue(value.url);
  return value.resourceType ? `${value.resourceType}/${value.id}` : (value.id as string);
}

/** The names that name the patient of a search: `patient` everywhere, `subject` on types in a patient's record. */
function namesPatient(type: string, name: string, clinical: boolean): boolean {
  return (
    (name === 'patient' || (name === 'subject' && clinical)) && searchParameter(type, name) !== undefined
  );
}

/** The NHS number a `patient` or `subject` value names, or a 400 saying why it names none. */
function patientOf(name: string, modifier: string | undefined, text: string): string {
  const value = unescapeSearchValue(text);
  let nhs: string | undefined;
  if (modifier === 'identifier') {
    const token = parseToken(name, text);
    if (token.system !== NHS_NUMBER_SYSTEM || !token.code) {
      throw invalid(name, `a patient identifier must be ${NHS_NUMBER_SYSTEM}|{NHS number}`);
    }
    nhs = token.code;
  } else if (modifier !== undefined && /^[a-z]/.test(modifier)) {
    throw new UnsupportedParameter(`the modifier :${modifier} is not supported on '${name}'`);
  } else if (modifier !== undefined && modifier !== 'Patient') {
    throw invalid(name, `the record searched must be a patient's, not a ${modifier}'s`);
  } else {
    const named = value.includes('/') ? referencedResource(value) : { resourceType: 'Patient', id: value };
    if (named?.resourceType !== 'Patient') {
      throw invalid(name, `'${value}' is not a patient; use Patient/{NHS number}`);
    }
    nhs = named.id;
  }
  if (!isValidNhsNumber(nhs)) throw invalid(name, nhsNumberProblem(nhs) as string);
  return nhs;
}

function nonEmpty(values: string[]): string[] {
  return values.filter((v) => v !== '');
}

function single(name: string, values: string[]): string | undefined {
  const given = nonEmpty(values);
  if (given.length > 1) throw invalid(name, 'give it at most once');
  return given[0];
}

function parseCount(values: string[]): number {
  const text = single('_count', values);
  if (text === undefined) return DEFAULT_COUNT;
  const count = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(count >= 1 && count <= MAX_COUNT)) {
    throw invalid('_count', `'${text}' is not a page size; use a whole number from 1 to ${MAX_COUNT}`);
  }
  return count;
}

function parseSort(type: string, values: string[]): SortRule[] {
  const text = single('_sort', values);
  if (text === undefined) {
    return [
      { parameter: searchParameter(type, '_lastUpdated') as SearchParameterDefinition, descending: true },
    ];
  }
  return text.split(',').map((key) => {
    const descending = key.startsWith('-');
    const name = descending ? key.slice(1) : key;
    const parameter = searchParameter(type, name);
    if (parameter?.type !== 'date') {
      const dates = searchParameters(type)
        .filter((p) => p.type === 'date')
        .map((p) => p.name);
      throw invalid(
        '_sort',
        `cannot sort ${type} by '${name}'; sort by ${dates.join(', ')} (or -name for descending)`,
      );
    }
    return { parameter, descending };
  });
}

function parseFilter(
  name: string,
  modifier: string | undefined,
  parameter: SearchParameterDefinition,
  text: string,
  now: number,
): SearchFilter | undefined {
  const key = modifier === undefined ? name : `${name}:${modifier}`;
  if (modifier === 'missing') {
    if (text !== 'true' && text !== 'false') throw invalid(key, `'${text}' must be true or false`);
    return { type: 'missing', parameter, missing: text === 'true', query: [key, text] };
  }
  const typeModifier =
    parameter.type === 'reference' && modifier !== undefined && /^[A-Z][A-Za-z]+$/.test(modifier);
  if (modifier !== undefined && !typeModifier && !modifiersByType[parameter.type].includes(modifier)) {
    throw new UnsupportedParameter(
      `the modifier :${modifier} is not supported on ${parameter.type} parameter '${name}'`,
    );
  }
  const parts = nonEmpty(splitUnescaped(text, ','));
  if (parts.length === 0) return undefined;
  const query = (texts: string[]): [string, string] => [key, texts.join(',')];
  switch (parameter.type) {
    case 'token': {
      const m = modifier as 'not' | 'text' | undefined;
      const values =
        m === 'text'
          ? parts.map((p) => ({ text: foldSearchString(unescapeSearchValue(p)) }))
          : parts.map((p) => parseToken(key, p));
      const texts =
        m === 'text' ? parts.map((p) => escapeSearchValue(unescapeSearchValue(p))) : values.map(tokenText);
      return { type: 'token', parameter, modifier: m, values, query: query(texts) };
    }
    case 'date': {
      const values = parts.map((p) => parseDate(key, p, now));
      return { type: 'date', parameter, values, query: query(parts) };
    }
    case 'string': {
      const values = parts.map((p) => ({
        value: unescapeSearchValue(p),
        folded: foldSearchString(unescapeSearchValue(p)),
      }));
      const m = modifier as 'exact' | 'contains' | undefined;
      return {
        type: 'string',
        parameter,
        modifier: m,
        values,
        query: query(values.map((v) => escapeSearchValue(v.value))),
      };
    }
    case 'reference': {
      const values = parts.map((p) => parseReference(key, p, modifier));
      return { type: 'reference', parameter, modifier, values, query: query(values.map(referenceText)) };
    }
    case 'uri': {
      const values = parts.map(unescapeSearchValue);
      const m = modifier as 'below' | 'above' | undefined;
      return { type: 'uri', parameter, modifier: m, values, query: query(values.map(escapeSearchValue)) };
    }
    case 'number': {
      const values = parts.map((p) => parseNumber(key, p));
      return { type: 'number', parameter, values, query: query(parts) };
    }
    case 'quantity': {
      const values = parts.map((p) => parseQuantity(key, p));
      return { type: 'quantity', parameter, values, query: query(parts) };
    }
  }
  return undefined;
}

/**
 * Parses a search's query parameters into a SearchRequest, refusing (400 `OperationOutcome`) what it cannot
 * honour: unknown parameters (unless lenient), malformed values, a clinical search without a patient.
 * Values arrive as arrays: a repeated parameter means AND; commas within a value mean OR.
 * @example parseSearchRequest('Observation', { patient: ['Patient/9000000009'], date: ['ge2024-01-01'] }, {})
 */
export function parseSearchRequest(
  resourceType: string,
  query: Record<string, string[]>,
  options: SearchRequestOptions = {},
): SearchRequest {
  const now = options.now ?? Date.now();
  const clinical = resourceTypeDefinition(resourceType)?.patientReference !== undefined;
  const request: SearchRequest = {
    resourceType,
    patient: undefined,
    filters: [],
    sort: parseSort(resourceType, query._sort ?? []),
    count: parseCount(query._count ?? []),
    cursor: single('_cursor', query._cursor ?? []),
    total: undefined,
    ignored: [],
  };
  let patientFilter: SearchFilter | undefined;

  for (const [key, values] of Object.entries(query)) {
    if (key === '_sort' || key === '_count' || key === '_cursor') continue;
    if (key === '_format') {
      const format = single(key, values);
      if (format !== undefined && !jsonFormats.has(format.split(';')[0]?.trim() ?? '')) {
        throw new BadRequestError(
          `_format '${format}' is not supported: this server speaks FHIR JSON only`,
          'not-supported',
        );
      }
      continue;
    }
    if (key === '_total') {
      const total = single(key, values);
      if (total !== undefined && total !== 'none' && total !== 'estimate' && total !== 'accurate') {
        throw invalid(key, `'${total}' must be none, estimate or accurate`);
      }
      request.total = total;
      continue;
    }
    const [name = '', modifier, ...extra] = key.split(':');
    try {
      const parameter =
        name.includes('.') || extra.length > 0 ? undefined : searchParameter(resourceType, name);
      if (!parameter) {
        throw new UnsupportedParameter(
          name.includes('.')
            ? `chained parameter '${key}' is not supported`
            : `'${name}' is not a search parameter of ${resourceType}`,
        );
      }
      if (namesPatient(resourceType, name, clinical) && modifier !== 'missing') {
        for (const text of values.flatMap((v) => nonEmpty(splitUnescaped(v, ',')))) {
          const nhs = patientOf(key, modifier, text);
          if (request.patient !== undefined && request.patient !== nhs) {
            throw invalid(key, 'a search covers one patient; give one NHS number');
          }
          request.patient = nhs;
          // One spelling, `patient` where the type has it, so `subject=` and `patient=` are the same search.
          const canonical = searchParameter(resourceType, 'patient') ?? parameter;
          patientFilter = {
            type: 'reference',
            parameter: canonical,
            values: [{ resourceType: 'Patient', id: nhs }],
            query: [canonical.name, `Patient/${nhs}`],
          };
        }
        continue;
      }
      for (const text of values) {
        const filter = parseFilter(name, modifier, parameter, text, now);
        if (filter) request.filters.push(filter);
      }
    } catch (error) {
      if (!(error instanceof UnsupportedParameter)) throw error;
      if (!options.lenient) {
        throw new BadRequestError(
          `Unknown or unsupported search parameter '${key}': ${error.message}`,
          'not-supported',
        );
      }
      request.ignored.push(key);
    }
  }

  if (clinical && request.patient === undefined) {
    const names = ['patient', 'subject'].filter((n) => searchParameter(resourceType, n)).join(' or ');
    throw new BadRequestError(
      `A search of ${resourceType} needs a patient: give ${names}=Patient/{NHS number}`,
      'required',
    );
  }
  if (patientFilter) request.filters.unshift(patientFilter);
  return request;
}
