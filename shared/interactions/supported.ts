import { MethodNotAllowedError, NotFoundError } from '../fhir/operation-outcome.ts';
import { assertNhsNumberId } from '../fhir/patient-identity.ts';
import { assertResourceId } from '../fhir/resource-id.ts';
import { partitionOf } from '../record/record-store.ts';
import { type Interaction, resourceType } from '../service/resource-types.ts';

/** Throws unless `type` is served and supports `interaction` (404 for an unknown type, 405 otherwise). */
export function assertSupported(type: string, interaction: Interaction): void {
  const definition = resourceType(type);
  if (!definition) throw new NotFoundError(`Resource type '${type}' is not supported`);
  if (!definition.interactions.includes(interaction)) {
    throw new MethodNotAllowedError(`${type} does not support ${interaction}`);
  }
}

/**
 * Checks a logical id (a Patient's is its NHS number) and returns the partition it lives in when the id alone
 * gives it (Patient, Organization); for clinical types the by-id index finds it.
 */
export function locate(type: string, id: string): string | undefined {
  const identity = resourceType(type)?.identity;
  if (identity === 'nhs-number') assertNhsNumberId(id);
  else assertResourceId(id);
  return identity ? partitionOf(type, id) : undefined;
}
