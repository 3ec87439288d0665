import { BadRequestError, type Issue, OperationOutcomeError } from './operation-outcome.ts';
import { validateResource } from './validation/validate-resource.ts';

/** The errors among a validation's issues. */
export function errorsOf(issues: Issue[]): Issue[] {
  return issues.filter((i) => (i.severity ?? 'error') === 'error' || i.severity === 'fatal');
}

/**
 * Throws 400 with every problem found unless `resource` is valid FHIR R4 of the type the URL names:
 * nothing invalid is ever stored.
 */
export function assertValidResource(resource: Record<string, unknown>, type: string): void {
  if (resource.resourceType !== type) {
    throw new BadRequestError(`The body's resourceType must be '${type}', as in the URL`, 'invalid', [
      'resourceType',
    ]);
  }
  const errors = errorsOf(validateResource(resource));
  if (errors.length) throw new OperationOutcomeError(400, errors);
}
