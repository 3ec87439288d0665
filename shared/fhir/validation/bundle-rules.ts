import { isResourceType } from '../definitions/r4-definitions.ts';
import type { Issue } from '../operation-outcome.ts';

interface BundleEntry {
  fullUrl?: unknown;
  resource?: { resourceType?: unknown; id?: unknown };
  search?: { mode?: unknown };
}

/** A fullUrl of the form `{base}/{type}/{id}`, as a FHIR server gives it. */
const restfulUrl = /^https?:\/\/.+\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * Rules of the Bundle resource that R4 states in prose rather than invariants: a fullUrl is absolute and, when it
 * is a RESTful URL, names the entry's own type and id; search results carry ids, and an `outcome` entry is an
 * OperationOutcome.
 */
export function checkBundleRules(bundle: Record<string, unknown>, path: string, issues: Issue[]): void {
  if (!Array.isArray(bundle.entry)) return;
  const problem = (diagnostics: string, expression: string) =>
    issues.push({ severity: 'error', code: 'invalid', diagnostics, expression: [expression] });
  bundle.entry.forEach((value: unknown, i: number) => {
    if (typeof value !== 'object' || value === null) return;
    const entry = value as BundleEntry;
    const entryPath = `${path}.entry[${i}]`;
    const resourceType = entry.resource?.resourceType;
    const id = entry.resource?.id;
    if (typeof entry.fullUrl === 'string') {
      const restful = restfulUrl.exec(entry.fullUrl);
      if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(entry.fullUrl)) {
        problem(`The fullUrl must be an absolute URL (not '${entry.fullUrl}')`, `${entryPath}.fullUrl`);
      } else if (restful && isResourceType(restful[1] as string) && typeof id === 'string') {
        if (restful[1] !== resourceType || restful[2] !== id) {
          problem(
            `The fullUrl '${entry.fullUrl}' is a RESTful URL, so it must end with the entry's type and id (${String(resourceType)}/${id})`,
            `${entryPath}.fullUrl`,
          );
        }
      }
    }
    if (bundle.type !== 'searchset' || resourceType === undefined) return;
    const mode = entry.search?.mode;
    if (mode === 'outcome' && resourceType !== 'OperationOutcome') {
      problem(
        `An entry with search mode 'outcome' must be an OperationOutcome, not a ${String(resourceType)}`,
        `${entryPath}.resource`,
      );
    }
    const isOutcome = mode === 'outcome' || (mode === undefined && resourceType === 'OperationOutcome');
    if (!isOutcome && id === undefined) problem('Search results must have ids', `${entryPath}.resource`);
  });
}
