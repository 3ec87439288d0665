import compiled from './generated/r4-search-parameters.json' with { type: 'json' };

/** A search parameter of FHIR R4, as the server evaluates it. */
export interface SearchParameterDefinition {
  /** The name in the query string (`code`, `clinical-status`, `_lastUpdated`). */
  name: string;
  type: 'number' | 'date' | 'string' | 'token' | 'reference' | 'quantity' | 'uri';
  /** The FHIRPath expression of the values to match, cut down to the one resource type (`Observation.code`). */
  expression: string;
}

/** Search parameters by resource type; `Resource` holds those every type has. */
const byType = compiled as Record<string, SearchParameterDefinition[]>;
const withCommon = new Map<string, SearchParameterDefinition[]>();

/**
 * The R4 search parameters of a supported resource type, the common ones (`_id`, `_lastUpdated`) first.
 * Composite and special parameters are not included.
 * @example searchParameters('Observation').find((p) => p.name === 'code') // { type: 'token', expression: 'Observation.code' }
 */
export function searchParameters(resourceType: string): readonly SearchParameterDefinition[] {
  let list = withCommon.get(resourceType);
  if (!list) {
    const own =
      resourceType !== 'Resource' && Object.hasOwn(byType, resourceType) ? byType[resourceType] : [];
    list = [...(byType.Resource ?? []), ...(own ?? [])];
    withCommon.set(resourceType, list);
  }
  return list;
}

/** One search parameter of a resource type by name, or undefined when R4 defines none for it. */
export function searchParameter(resourceType: string, name: string): SearchParameterDefinition | undefined {
  return searchParameters(resourceType).find((p) => p.name === name);
}
