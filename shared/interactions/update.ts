import type { Patient, Resource } from '@medplum/fhirtypes';
import type { Caller } from '../access/access-token.ts';
import { BadRequestError } from '../fhir/operation-outcome.ts';
import { assertNhsNumberId, withNhsNumberIdentifier } from '../fhir/patient-identity.ts';
import { assertCurrentVersion } from '../fhir/versioning.ts';
import { withServerMeta } from '../record/contributor.ts';
import { commit, partitionOf, readCurrent } from '../record/record-store.ts';
import { assertSupported } from './read.ts';

export interface UpdateOutcome {
  resource: Resource;
  created: boolean;
}

/**
 * The FHIR update interaction (PUT): creates the resource at the given id when there is none, otherwise
 * replaces the version named by `If-Match`. One conditional transaction, so concurrent updates cannot both win.
 */
export async function updateResource(input: {
  type: string;
  id: string;
  body: Record<string, unknown>;
  ifMatch: number | undefined;
  caller: Caller;
  now?: Date;
}): Promise<UpdateOutcome> {
  const { type, id, body, caller } = input;
  assertSupported(type, 'update');
  if (body.resourceType !== type) {
    throw new BadRequestError(`The body's resourceType must be '${type}', as in the URL`, 'invalid', [
      'resourceType',
    ]);
  }
  if (body.id !== id)
    throw new BadRequestError(`The body's id must be '${id}', as in the URL`, 'invalid', ['id']);

  let resource = body as unknown as Resource;
  if (type === 'Patient') {
    assertNhsNumberId(id);
    resource = withNhsNumberIdentifier(resource as Patient, id);
  }
  const partition = partitionOf(type, id);
  const previous = await readCurrent(type, id, partition);
  const replacing = previous && !previous.deleted ? previous : undefined;
  if (replacing) assertCurrentVersion(input.ifMatch, replacing.versionId);

  const versionId = (previous?.versionId ?? 0) + 1;
  const lastUpdated = (input.now ?? new Date()).toISOString();
  const contributor = replacing?.contributor ?? caller.odsCode;
  const stored = withServerMeta(resource, { versionId, lastUpdated, contributor });
  await commit([
    { next: { partition, resource: stored, versionId, lastUpdated, contributor, deleted: false }, previous },
  ]);
  return { resource: stored, created: !replacing };
}
