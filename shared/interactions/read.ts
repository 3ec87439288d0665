import type { Resource } from '@medplum/fhirtypes';
import { GoneError, MethodNotAllowedError, NotFoundError } from '../fhir/operation-outcome.ts';
import { assertNhsNumberId } from '../fhir/patient-identity.ts';
import { assertResourceId } from '../fhir/resource-id.ts';
import { type Interaction, resourceType } from '../fhir/resource-types.ts';
import { partitionOf, readCurrent } from '../record/record-store.ts';

/** Throws unless `type` is served and supports `interaction` (404 for an unknown type, 405 otherwise). */
export function assertSupported(type: string, interaction: Interaction): void {
  const definition = resourceType(type);
  if (!definition) throw new NotFoundError(`Resource type '${type}' is not supported`);
  if (!definition.interactions.includes(interaction)) {
    throw new MethodNotAllowedError(`${type} does not support ${interaction}`);
  }
}

/** The FHIR read interaction: the current version, 404 when there is none and 410 when it was deleted. */
export async function readResource(type: string, id: string): Promise<Resource> {
  assertSupported(type, 'read');
  if (type === 'Patient') assertNhsNumberId(id);
  else assertResourceId(id);
  const partition = type === 'Patient' || type === 'Organization' ? partitionOf(type, id) : undefined;
  const stored = await readCurrent(type, id, partition);
  if (!stored) throw new NotFoundError(`${type}/${id} is not known`);
  if (stored.deleted) throw new GoneError(`${type}/${id} has been deleted`);
  return stored.resource;
}
