import { isResourceType } from '../definitions/r4-definitions.ts';
import type { Issue } from '../operation-outcome.ts';

/**
 * The FHIR JSON rules that hold for any resource, checked where no definition is compiled (a contained resource or
 * Bundle entry of a type the server does not validate in full): no null, no empty object, array or string, and
 * nested resources of R4 types.
 */
export function checkJsonStructure(value: unknown, path: string, issues: Issue[]): void {
  const problem = (diagnostics: string, at: string) =>
    issues.push({ severity: 'error', code: 'structure', diagnostics, expression: [at] });

  const visit = (v: unknown, at: string, inArray: boolean): void => {
    if (v === null) {
      // In an array, null keeps a primitive's place when only its `_name` twin has content.
      if (!inArray) problem('null is not allowed in FHIR JSON', at);
      return;
    }
    if (typeof v === 'string') {
      if (v.length === 0) problem('A string must not be empty: leave the element out instead', at);
      return;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) problem('An array must not be empty: leave the element out instead', at);
      for (const [i, item] of v.entries()) visit(item, `${at}[${i}]`, true);
      return;
    }
    if (typeof v !== 'object') return;
    const object = v as Record<string, unknown>;
    const keys = Object.keys(object);
    if (keys.length === 0)
      problem('An element must have a value or children: empty objects are not allowed', at);
    if (
      'resourceType' in object &&
      (typeof object.resourceType !== 'string' || !isResourceType(object.resourceType))
    ) {
      problem(`'${String(object.resourceType)}' is not an R4 resource type`, at);
    }
    for (const key of keys) if (key !== 'resourceType') visit(object[key], `${at}.${key}`, false);
  };
  visit(value, path, false);
}
