import type { Resource } from '@medplum/fhirtypes';
import { isRestricted } from '../access/access-policy.ts';
import { PATIENT_PREFIX } from '../service/table-design.ts';
import type { ExportRequest } from './export-request.ts';

/** A table item as a Scan reads it: only current versions of resources carry `resource`. */
export interface ScannedItem {
  PK: string;
  SK: string;
  resourceType?: string;
  resource?: string;
  lastUpdated?: string;
  deleted?: boolean;
  registeredPractice?: string;
}

const ORGANISATION_PREFIX = 'ORGANIZATION#';

/** The NHS number of the record an item belongs to, if it is in a patient's partition. */
export function patientOfItem(item: Pick<ScannedItem, 'PK'>): string | undefined {
  return item.PK.startsWith(PATIENT_PREFIX) ? item.PK.slice(PATIENT_PREFIX.length) : undefined;
}

/**
 * Whether a current resource item may go out in this export, before its patient is considered: a current
 * version (never an earlier one, a journal entry, access facts or any item that is not a resource), not
 * deleted, of a type asked for, changed after `_since`, in a patient's record (or an Organization, for a
 * system export), and never restricted or very restricted (CONTRACT §8: labels a contributor set keep the
 * resource to it; the same rule the access policy applies, `isRestricted`).
 */
export function exportableItem(item: ScannedItem, request: ExportRequest): Resource | undefined {
  if (item.SK.startsWith('_') || item.deleted || !item.resource || !item.resourceType) return undefined;
  const inRecord = patientOfItem(item) !== undefined;
  const organisation = request.level === 'system' && item.PK.startsWith(ORGANISATION_PREFIX);
  if (!inRecord && !organisation) return undefined;
  if (!request.types.includes(item.resourceType)) return undefined;
  if (request.since && !(item.lastUpdated && item.lastUpdated > request.since)) return undefined;
  const resource = JSON.parse(item.resource) as Resource;
  return isRestricted(resource) ? undefined : resource;
}
