import type { Coding, Resource } from '@medplum/fhirtypes';
import { ODS_CODE_SYSTEM } from '../fhir/ods-code.ts';

/**
 * Sets what only the server may set on a stored resource: version, last-updated time and the contributor tag
 * (the ODS code of the organisation that contributed it). Any such values from the request body are replaced.
 */
export function withServerMeta<T extends Resource>(
  resource: T,
  meta: { versionId: number; lastUpdated: string; contributor: string },
): T {
  const tags: Coding[] = (resource.meta?.tag ?? []).filter((t) => t.system !== ODS_CODE_SYSTEM);
  tags.push({ system: ODS_CODE_SYSTEM, code: meta.contributor });
  return {
    ...resource,
    meta: { ...resource.meta, versionId: String(meta.versionId), lastUpdated: meta.lastUpdated, tag: tags },
  };
}
