import type { Resource } from '@medplum/fhirtypes';
import type { SearchParameterDefinition } from '../fhir/definitions/search-parameters.ts';
import {
  FhirNode,
  type FhirPathItem,
  FhirPathTemporal,
  quantityTypes,
} from '../fhir/validation/fhirpath-values.ts';
import { type DateRange, dateRange } from './date-range.ts';
import { searchItems } from './search-expression.ts';

/** What a token parameter sees in a resource: a code with its system, and the text that describes it. */
export interface TokenTarget {
  system?: string;
  code?: string;
  /** Coding.display, CodeableConcept.text or Identifier.type.text, for `:text`. */
  text?: string;
}

/** What a reference parameter sees: the reference text, and the type and id it names when it names one. */
export interface ReferenceTarget {
  reference?: string;
  resourceType?: string;
  id?: string;
  /** A logical reference (Reference.identifier), for `:identifier`. */
  identifier?: TokenTarget;
}

export interface QuantityTarget {
  value: number;
  system?: string;
  code?: string;
  unit?: string;
}

type Json = Record<string, unknown>;

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function strings(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** The JSON value and FHIR type of an item, for items that are elements or computed primitives. */
function typed(item: FhirPathItem): { value: unknown; type: string } {
  if (item instanceof FhirNode) return { value: item.value, type: item.type };
  if (item instanceof FhirPathTemporal) return { value: item.text, type: 'dateTime' };
  if (typeof item === 'object') return { value: item, type: 'Quantity' };
  return { value: item, type: typeof item };
}

function coding(c: Json): TokenTarget {
  return { system: str(c.system), code: str(c.code), text: str(c.display) };
}

/**
 * Codes a token parameter matches, from Coding, CodeableConcept, Identifier, ContactPoint, code, boolean
 * and other primitives (R4 search §3.1.1.4.9).
 * @example tokenTargets(condition, searchParameter('Condition', 'code')!) // [{ system: 'http://snomed.info/sct', code: '39065001', text: 'Burn of ear' }, { text: 'Burnt Ear' }]
 */
export function tokenTargets(resource: Resource, parameter: SearchParameterDefinition): TokenTarget[] {
  return searchItems(resource, parameter).flatMap((item): TokenTarget[] => {
    const { value, type } = typed(item);
    if (value === undefined || value === null) return [];
    if (typeof value !== 'object') return [{ code: String(value) }];
    const json = value as Json;
    switch (type) {
      case 'Coding':
        return [coding(json)];
      case 'CodeableConcept': {
        const codings = ((json.coding as Json[] | undefined) ?? []).map(coding);
        const text = str(json.text);
        return text === undefined ? codings : [...codings, { text }];
      }
      case 'Identifier':
        return [
          {
            system: str(json.system),
            code: str(json.value),
            text: str((json.type as Json | undefined)?.text),
          },
        ];
      case 'ContactPoint':
        // R4 matches a ContactPoint token on its value; its `system` (phone, email) is what `phone=` and `email=` select.
        return [{ code: str(json.value) }];
      default:
        return [];
    }
  });
}

/** The range of one date-like element: date, dateTime, instant, Period or Timing (only its outer limits count). */
function elementRange(value: unknown, type: string): DateRange | undefined {
  if (typeof value === 'string') return dateRange(value);
  if (typeof value !== 'object' || value === null) return undefined;
  const json = value as Json;
  if (type === 'Period') {
    const start = str(json.start);
    const end = str(json.end);
    if (start === undefined && end === undefined) return undefined;
    const low = start === undefined ? Number.NEGATIVE_INFINITY : dateRange(start)?.low;
    const high = end === undefined ? Number.POSITIVE_INFINITY : dateRange(end)?.high;
    return low === undefined || high === undefined ? undefined : { low, high };
  }
  if (type === 'Timing') {
    const ranges = strings(json.event).map(dateRange);
    const bounds = (json.repeat as Json | undefined)?.boundsPeriod;
    if (bounds) ranges.push(elementRange(bounds, 'Period'));
    const known = ranges.filter((r): r is DateRange => r !== undefined);
    if (known.length === 0) return undefined;
    return { low: Math.min(...known.map((r) => r.low)), high: Math.max(...known.map((r) => r.high)) };
  }
  return undefined;
}

/**
 * The ranges of time a date parameter's elements cover (R4 search §3.1.1.4.2).
 * @example dateTargets(flag, searchParameter('Flag', 'date')!) // [{ low: Date.UTC(2015, 0, 17), high: Date.UTC(2016, 11, 2) }]
 */
export function dateTargets(resource: Resource, parameter: SearchParameterDefinition): DateRange[] {
  return searchItems(resource, parameter).flatMap((item) => {
    const { value, type } = typed(item);
    const range = elementRange(value, type);
    return range ? [range] : [];
  });
}

/**
 * The strings a string parameter matches: a string's value, and each part of a HumanName or Address.
 * @example stringTargets(patient, searchParameter('Patient', 'name')!) // ['Chalmers', 'Peter', 'James', ...]
 */
export function stringTargets(resource: Resource, parameter: SearchParameterDefinition): string[] {
  return searchItems(resource, parameter).flatMap((item) => {
    const { value, type } = typed(item);
    if (typeof value === 'string') return [value];
    if (typeof value !== 'object' || value === null) return [];
    const json = value as Json;
    if (type === 'HumanName') {
      return [json.text, json.family, json.given, json.prefix, json.suffix].flatMap(strings);
    }
    if (type === 'Address') {
      return [
        json.text,
        json.line,
        json.city,
        json.district,
        json.state,
        json.postalCode,
        json.country,
      ].flatMap(strings);
    }
    return [];
  });
}

/**
 * The type and id a reference names: `Patient/123`, `Patient/123/_history/2`, `https://…/Patient/123`.
 * @example referencedResource('https://fhir.example.nhs.uk/R4/Encounter/e1') // { resourceType: 'Encounter', id: 'e1' }
 */
export function referencedResource(reference: string): { resourceType: string; id: string } | undefined {
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return m ? { resourceType: m[1] as string, id: m[2] as string } : undefined;
}

/**
 * The references a reference parameter matches, from Reference elements and canonical or uri values.
 * @example referenceTargets(observation, searchParameter('Observation', 'subject')!) // [{ reference: 'Patient/example', resourceType: 'Patient', id: 'example' }]
 */
export function referenceTargets(
  resource: Resource,
  parameter: SearchParameterDefinition,
): ReferenceTarget[] {
  return searchItems(resource, parameter).flatMap((item): ReferenceTarget[] => {
    const { value, type } = typed(item);
    if (typeof value === 'string') return [{ reference: value, ...referencedResource(value) }];
    if (type !== 'Reference' || typeof value !== 'object' || value === null) return [];
    const json = value as Json;
    const reference = str(json.reference);
    const named = reference === undefined ? undefined : referencedResource(reference);
    const identifier = json.identifier as Json | undefined;
    return [
      {
        reference,
        resourceType: named?.resourceType ?? str(json.type),
        id: named?.id,
        identifier: identifier ? { system: str(identifier.system), code: str(identifier.value) } : undefined,
      },
    ];
  });
}

/**
 * The URIs a uri parameter matches.
 * @example uriTargets(documentReference, searchParameter('DocumentReference', 'location')!) // ['http://example.org/xds/mhd/Binary/…']
 */
export function uriTargets(resource: Resource, parameter: SearchParameterDefinition): string[] {
  return searchItems(resource, parameter).flatMap((item) => strings(typed(item).value));
}

/**
 * The numbers a number parameter matches.
 * @example numberTargets(resource, parameter) // [3]
 */
export function numberTargets(resource: Resource, parameter: SearchParameterDefinition): number[] {
  return searchItems(resource, parameter).flatMap((item) => {
    const { value } = typed(item);
    return typeof value === 'number' ? [value] : [];
  });
}

/**
 * The quantities a quantity parameter matches: Quantity and its specialisations (Age, Duration…).
 * Range and SampledData values are not compared.
 * @example quantityTargets(observation, searchParameter('Observation', 'value-quantity')!) // [{ value: 185, system: 'http://unitsofmeasure.org', code: '[lb_av]', unit: 'lbs' }]
 */
export function quantityTargets(resource: Resource, parameter: SearchParameterDefinition): QuantityTarget[] {
  return searchItems(resource, parameter).flatMap((item): QuantityTarget[] => {
    const { value, type } = typed(item);
    if (typeof value !== 'object' || value === null) return [];
    if (!(item instanceof FhirNode)) {
      const q = value as { value: number; unit: string };
      return [{ value: q.value, code: q.unit }];
    }
    if (!quantityTypes.has(type)) return [];
    const json = value as Json;
    if (typeof json.value !== 'number') return [];
    return [{ value: json.value, system: str(json.system), code: str(json.code), unit: str(json.unit) }];
  });
}

/**
 * Whether a resource has any value for a parameter, as `:missing` asks.
 * @example hasSearchValue(observation, searchParameter('Observation', 'encounter')!) // true
 */
export function hasSearchValue(resource: Resource, parameter: SearchParameterDefinition): boolean {
  switch (parameter.type) {
    case 'token':
      return tokenTargets(resource, parameter).length > 0;
    case 'date':
      return dateTargets(resource, parameter).length > 0;
    case 'string':
      return stringTargets(resource, parameter).length > 0;
    case 'reference':
      return referenceTargets(resource, parameter).length > 0;
    case 'uri':
      return uriTargets(resource, parameter).length > 0;
    case 'number':
      return numberTargets(resource, parameter).length > 0;
    case 'quantity':
      return quantityTargets(resource, parameter).length > 0;
  }
}
