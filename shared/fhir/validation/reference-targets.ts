import { isResourceType } from '../definitions/r4-definitions.ts';
import type { Issue } from '../operation-outcome.ts';

/** `Type/id` at the end of a relative or absolute reference, with an optional `/_history/version`. */
const literalReference =
  /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/**
 * Checks that a literal reference names a resource type the element allows (`Observation.subject` may be a
 * Patient, Group, Device or Location). Contained (`#id`) and `urn:` references name no type and pass.
 */
export function checkReferenceTarget(
  reference: unknown,
  targets: string[],
  path: string,
  issues: Issue[],
): void {
  const literal = (reference as { reference?: unknown } | null)?.reference;
  if (typeof literal !== 'string') return;
  const type = literalReference.exec(literal)?.[1];
  if (!type || !isResourceType(type) || targets.includes(type)) return;
  issues.push({
    severity: 'error',
    code: 'structure',
    diagnostics: `The reference '${literal}' is to a ${type}, but it must be to one of ${targets.join(', ')}`,
    expression: [`${path}.reference`],
  });
}
