import type { Bundle, Resource } from '@medplum/fhirtypes';
import { hasScope } from '../access/scopes.ts';
import { ForbiddenError, GoneError, NotFoundError } from '../fhir/operation-outcome.ts';
import type { RequestContext } from '../http/request-context.ts';
import {
  findPartition,
  readAllVersions,
  readCurrent,
  readVersion,
  type StoredResource,
} from '../record/record-store.ts';
import { currentKey, PATIENT_PREFIX } from '../service/table-design.ts';
import { auditedRecordAccess } from './audited-access.ts';
import { absent, absentWhenHidden, hiddenFromCaller } from './hidden-means-absent.ts';
import { assertSupported, locate } from './supported.ts';

/** Where a resource lives: the patient whose record holds it, if any. */
async function whereIs(type: string, id: string): Promise<{ partition?: string; patient?: string }> {
  const partition = locate(type, id) ?? (await findPartition(type, id));
  if (!partition) throw absent(type, id);
  return {
    partition,
    patient: partition.startsWith(PATIENT_PREFIX) ? partition.slice(PATIENT_PREFIX.length) : undefined,
  };
}

/**
 * Reads from a patient's record under the access rules (relationship, objection, labels) with the access
 * audited; resources outside any patient's record (Organization) need only the scope. A resource hidden from
 * the caller is absent: the same 404 as one that never existed, whether or not it was deleted. `seen` tells the read which of the resource's versions the caller may see.
 */
export async function guarded<T>(
  ctx: RequestContext,
  type: string,
  id: string,
  interaction: string,
  read: (
    partition: string,
    current: StoredResource | undefined,
    seen: (version: StoredResource) => boolean,
  ) => Promise<{ value: T; references: string[] }>,
): Promise<T> {
  const { partition, patient } = await whereIs(type, id);
  if (!patient) {
    if (!hasScope(ctx.caller.scopes, type, 'r'))
      throw new ForbiddenError(`The client's scopes do not allow reading ${type}`);
    return (await read(partition as string, await readCurrent(type, id, partition), () => true)).value;
  }
  const resourceKeys = [{ PK: partition as string, SK: currentKey(type, id) }];
  return auditedRecordAccess(
    ctx,
    patient,
    {
      interaction,
      resourceType: type,
      permission: 'r',
      resourceKeys,
      absent: absentWhenHidden(ctx, type, id),
    },
    ({ facts, resources }) =>
      read(partition as string, resources[0], (version) => !hiddenFromCaller(ctx, facts, version)),
  );
}

/** The FHIR read interaction: the current version, 404 when there is none (or it is hidden) and 410 when deleted. */
export async function readResource(type: string, id: string, ctx: RequestContext): Promise<StoredResource> {
  assertSupported(type, 'read');
  return guarded(ctx, type, id, 'read', async (_partition, current) => {
    if (!current) throw absent(type, id);
    if (current.deleted) throw new GoneError(`${type}/${id} has been deleted`);
    return { value: current, references: [reference(current)] };
  });
}

/**
 * The FHIR vread interaction: one version; 404 when there is no such version or the caller may not see it
 * (an earlier version may carry a label the current one does not), 410 for a deletion.
 */
export async function readResourceVersion(type: string, id: string, vid: string, ctx: RequestContext) {
  assertSupported(type, 'vread');
  if (!/^\d{1,10}$/.test(vid)) throw absent(type, id);
  return guarded(ctx, type, id, 'vread', async (partition, current, seen) => {
    if (!current) throw absent(type, id);
    const version =
      current.versionId === Number(vid) ? current : await readVersion(type, id, Number(vid), partition);
    if (!version || !seen(version)) throw new NotFoundError(`${type}/${id} has no version ${vid}`);
    if (version.deleted) throw new GoneError(`${type}/${id} version ${vid} is a deletion`);
    return { value: version, references: [reference(version)] };
  });
}

/**
 * Every version of a resource the caller may see, newest first, for its history Bundle; 404 when the resource
 * never existed or is hidden from the caller.
 */
export async function readResourceHistory(
  type: string,
  id: string,
  ctx: RequestContext,
): Promise<StoredResource[]> {
  assertSupported(type, 'history-instance');
  return guarded(ctx, type, id, 'history-instance', async (_partition, current, seen) => {
    if (!current) throw absent(type, id);
    const versions = (await readAllVersions(current)).filter(seen);
    return { value: versions, references: versions.map(reference) };
  });
}

function reference(stored: StoredResource | undefined): string {
  if (!stored) return '';
  const { resourceType, id } = stored.resource as Resource & { id: string };
  return `${resourceType}/${id}/_history/${stored.versionId}`;
}

/** A FHIR `history` Bundle of versions, newest first, deletions as DELETE entries without a resource. */
export function historyBundle(versions: StoredResource[], fhirBase: string, selfUrl: string): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'history',
    total: versions.length,
    link: [{ relation: 'self', url: selfUrl }],
    entry: versions.map((v) => {
      const { resourceType, id } = v.resource as Resource & { id: string };
      const url = `${resourceType}/${id}`;
      return {
        fullUrl: `${fhirBase}/${url}`,
        ...(v.deleted ? {} : { resource: v.resource }),
        request: {
          method: v.deleted ? 'DELETE' : v.versionId === 1 ? 'POST' : 'PUT',
          url: v.versionId === 1 && !v.deleted ? resourceType : url,
        },
        response: {
          status: v.deleted ? '204' : v.versionId === 1 ? '201' : '200',
          etag: `W/"${v.versionId}"`,
          lastModified: v.lastUpdated,
        },
      };
    }),
  };
}
