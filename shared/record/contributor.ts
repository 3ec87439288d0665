import type { Coding, Resource } from '@medplum/fhirtypes';
import { ODS_CODE_SYSTEM } from '../fhir/ods-code.ts';

/**
 * Sets what only the server may set on a stored resource: version, last-updated time and the contributor tag
 * (the ODS code of the organisation that contributed it). Any such values from the request body are replaced,
 * look-alike contributor tags included, so a reader never sees two contributors.
 */
export function withServerMeta<T extends Resource>(
  resource: T,
  meta: { versionId: number; lastUpdated: string; contributor: string },
): T {
  const tags: Coding[] = (resource.meta?.tag ?? []).filter((t) => !isOdsSystem(t.system));
  tags.push({ system: ODS_CODE_SYSTEM, code: meta.contributor });
  return {
    ...resource,
    meta: { ...resource.meta, versionId: String(meta.versionId), lastUpdated: meta.lastUpdated, tag: tags },
  };
}

const ODS_SYSTEM_KEY = systemKey(ODS_CODE_SYSTEM);

/** True for the ODS code system and what a reader could take for it: other case, spaces, a trailing slash. */
function isOdsSystem(system: string | undefined): boolean {
  return system !== undefined && systemKey(system) === ODS_SYSTEM_KEY;
}

function systemKey(system: string): string {
  return system.trim().toLowerCase().replace(/\/+$/, '');
}
