import type { Bundle, Resource } from '@medplum/fhirtypes';
import { GoneError, NotFoundError } from '../fhir/operation-outcome.ts';
import { readAllVersions, readCurrent, readVersion, type StoredResource } from '../record/record-store.ts';
import { assertSupported, locate } from './supported.ts';

/** The FHIR read interaction: the current version, 404 when there is none and 410 when it was deleted. */
export async function readResource(type: string, id: string): Promise<StoredResource> {
  assertSupported(type, 'read');
  const stored = await readCurrent(type, id, locate(type, id));
  if (!stored) throw new NotFoundError(`${type}/${id} is not known`);
  if (stored.deleted) throw new GoneError(`${type}/${id} has been deleted`);
  return stored;
}

/** The FHIR vread interaction: one version; 404 when there is no such version, 410 for a deletion. */
export async function readResourceVersion(type: string, id: string, vid: string): Promise<StoredResource> {
  assertSupported(type, 'vread');
  const partition = locate(type, id);
  if (!/^\d{1,10}$/.test(vid)) throw new NotFoundError(`${type}/${id} has no version '${vid}'`);
  const stored = await readVersion(type, id, Number(vid), partition);
  if (!stored) throw new NotFoundError(`${type}/${id} has no version ${vid}`);
  if (stored.deleted) throw new GoneError(`${type}/${id} version ${vid} is a deletion`);
  return stored;
}

/** Every version of a resource, for its history Bundle; 404 when the resource never existed. */
export async function readResourceHistory(type: string, id: string): Promise<StoredResource[]> {
  assertSupported(type, 'history-instance');
  const current = await readCurrent(type, id, locate(type, id));
  if (!current) throw new NotFoundError(`${type}/${id} is not known`);
  return readAllVersions(current);
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
