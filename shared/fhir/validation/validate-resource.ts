import { isResourceType } from '#shared/fhir/definitions/r4-definitions';
import type { Issue } from '#shared/fhir/operation-outcome';
import { validateCompiledResource } from './resource-elements.ts';

/**
 * Validates a resource against base FHIR R4: FHIR JSON rules, element names, cardinality, primitive formats,
 * choice types, required bindings, reference target types and the error invariants of its definitions.
 * Contained resources and Bundle entries are validated too. Returns no issue of severity `error` when it is valid.
 * @example validateResource({ resourceType: 'Patient', gender: 'banana' })
 * // [{ severity: 'error', code: 'code-invalid', expression: ['Patient.gender'], diagnostics: "'banana' is not a code of ..." }]
 */
export function validateResource(resource: unknown): Issue[] {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return [{ severity: 'error', code: 'structure', diagnostics: 'A FHIR resource must be a JSON object' }];
  }
  const type = (resource as { resourceType?: unknown }).resourceType;
  if (typeof type !== 'string') {
    return [{ severity: 'error', code: 'required', diagnostics: 'A resource must have a resourceType' }];
  }
  if (!isResourceType(type)) {
    return [{ severity: 'error', code: 'structure', diagnostics: `'${type}' is not an R4 resource type` }];
  }
  const issues: Issue[] = [];
  validateCompiledResource(resource as Record<string, unknown>, type, issues);
  return issues;
}
