import { isResourceType, jsonProperties } from '../definitions/r4-definitions.ts';
import type { Issue } from '../operation-outcome.ts';
import { isAbsoluteUri } from './uri-rules.ts';

interface BundleEntry {
  fullUrl?: unknown;
  resource?: { resourceType?: unknown; id?: unknown; meta?: { versionId?: unknown } };
  search?: { mode?: unknown };
}

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A fullUrl of the form `{base}/{type}/{id}`, as a FHIR server gives it. */
const restfulUrl = /^https?:\/\/.+\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * Rules of the Bundle resource that R4 states in prose rather than invariants: a fullUrl is absolute and, when it
 * is a RESTful URL, names the entry's own type and id; search results carry ids, and an `outcome` entry is an
 * OperationOutcome.
 */
export function checkBundleRules(bundle: Record<string, unknown>, path: string, issues: Issue[]): void {
  checkLinkRelations(bundle, path, issues);
  if (!Array.isArray(bundle.entry)) return;
  const problem = (diagnostics: string, expression: string) =>
    issues.push({ severity: 'error', code: 'invalid', diagnostics, expression: [expression] });
  if (bundle.type === 'document') checkDocumentReferences(bundle.entry, path, issues);
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

/** R4 http.html#paging: a Bundle's links name it (self) and the pages beside it, so no relation occurs twice. */
function checkLinkRelations(bundle: JsonObject, path: string, issues: Issue[]): void {
  if (!Array.isArray(bundle.link)) return;
  const seen = new Set<string>();
  bundle.link.forEach((link: unknown, i: number) => {
    const relation = isObject(link) ? link.relation : undefined;
    if (typeof relation !== 'string') return;
    if (seen.has(relation)) {
      issues.push({
        severity: 'error',
        code: 'invalid',
        diagnostics: `A Bundle may have only one link with relation '${relation}'`,
        expression: [`${path}.link[${i}]`],
      });
    }
    seen.add(relation);
  });
}

/** The literal references (`Reference.reference`) in a resource and its contained resources, with their paths. */
function literalReferences(resource: JsonObject, path: string): { reference: string; path: string }[] {
  const found: { reference: string; path: string }[] = [];
  const pending: [JsonObject, string, string][] = [[resource, String(resource.resourceType), path]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [object, type, at] = next;
    if (type === 'Reference' && typeof object.reference === 'string') {
      found.push({ reference: object.reference, path: `${at}.reference` });
    }
    const properties = jsonProperties(type);
    for (const [key, value] of Object.entries(object)) {
      const property = properties?.get(key);
      // Resources inside others (a Parameters part, a nested Bundle) resolve against their own context.
      if (!property || (property.type === 'Resource' && key !== 'contained')) continue;
      const values = Array.isArray(value) ? value : [value];
      values.forEach((v: unknown, i) => {
        if (!isObject(v)) return;
        const childType = property.type === 'Resource' ? String(v.resourceType) : property.type;
        pending.push([v, childType, Array.isArray(value) ? `${at}.${key}[${i}]` : `${at}.${key}`]);
      });
    }
  }
  return found;
}

/** `{base}/{type}/{id}`, the form of a RESTful fullUrl. */
const restfulBase = /^(.+)\/[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

/**
 * The entries a reference made in an entry resolves to, by the rules of R4 bundle.html#references: an absolute
 * reference matches a fullUrl; a relative one is taken against the base of a RESTful fullUrl of its entry, or
 * otherwise matches an entry's resource type and id; `/_history/{v}` must also match the entry's versionId.
 */
function resolveInBundle(reference: string, fullUrl: unknown, entries: BundleEntry[]): BundleEntry[] {
  const [target = '', version] = reference.split('/_history/');
  let found: BundleEntry[];
  if (isAbsoluteUri(target)) {
    found = entries.filter((e) => e.fullUrl === target);
  } else {
    const base = typeof fullUrl === 'string' ? restfulBase.exec(fullUrl)?.[1] : undefined;
    found = base
      ? entries.filter((e) => e.fullUrl === `${base}/${target}`)
      : entries.filter((e) => `${String(e.resource?.resourceType)}/${String(e.resource?.id)}` === target);
  }
  return version === undefined ? found : found.filter((e) => e.resource?.meta?.versionId === version);
}

/**
 * R4 documents.html §3.3.1: a document Bundle is complete in itself, so each reference in its entries (other
 * than to a contained resource) must resolve to exactly one of its entries.
 */
function checkDocumentReferences(entryValues: unknown[], path: string, issues: Issue[]): void {
  const entries = entryValues.filter(isObject) as BundleEntry[];
  entryValues.forEach((value, i) => {
    if (!isObject(value) || !isObject(value.resource)) return;
    for (const ref of literalReferences(value.resource, `${path}.entry[${i}].resource`)) {
      if (ref.reference.startsWith('#')) continue;
      const count = resolveInBundle(ref.reference, value.fullUrl, entries).length;
      if (count === 1) continue;
      issues.push({
        severity: 'error',
        code: count === 0 ? 'not-found' : 'multiple-matches',
        diagnostics:
          count === 0
            ? `The reference '${ref.reference}' does not resolve to an entry of the document`
            : `The reference '${ref.reference}' resolves to ${count} entries of the document, not one`,
        expression: [ref.path],
      });
    }
  });
}
