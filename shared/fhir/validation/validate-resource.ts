import { isResourceType } from '../definitions/r4-definitions.ts';
import type { Issue } from '../operation-outcome.ts';
import { MAX_NESTING_DEPTH, nestsDeeperThan } from './nesting-depth.ts';
import { validateCompiledResource } from './resource-elements.ts';

/**
 * Validates a resource against base FHIR R4: FHIR JSON rules, element names, cardinality, primitive formats,
 * choice types, required bindings, reference target types and the error invariants of its definitions.
 * Contained resources and Bundle entries are validated too. Returns no issue of severity `error` when it is valid.
 * A resource nested deeper than {@link MAX_NESTING_DEPTH} is refused unread, so no input can exhaust the stack.
 * @example validateResource({ resourceType: 'Patient', gender: 'banana' })
 * // [{ severity: 'error', code: 'code-invalid', expression: ['Patient.gender'], diagnostics: "'banana' is not a code of ..." }]
 */
export function validateResource(resource: unknown): Issue[] {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return [{ severity: 'error', code: 'structure', diagnostics: 'A FHIR resource must be a JSON object' }];
  }
  if (nestsDeeperThan(resource, MAX_NESTING_DEPTH)) {
    return [
      {
        severity: 'error',
        code: 'too-costly',
        diagnostics: `The resource nests JSON objects and arrays deeper than ${MAX_NESTING_DEPTH} levels`,
      },
    ];
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
