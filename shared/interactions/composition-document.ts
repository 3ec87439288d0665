import type { Bundle, BundleEntry, Composition, CompositionSection, Resource } from '@medplum/fhirtypes';
import { BadRequestError, GoneError } from '../fhir/operation-outcome.ts';
import type { RequestContext } from '../http/request-context.ts';
import { readCurrent, type StoredResource } from '../record/record-store.ts';
import { absent } from './hidden-means-absent.ts';
import { guarded } from './read.ts';

/**
 * `GET /Composition/{id}/$document`: a structured letter read as a whole, as FHIR's Composition `$document`
 * defines it: a `document` Bundle of the Composition, its patient and every resource its sections reference
 * that the caller may see (a hidden one is left out, as on every path). The letter itself is read under the
 * access rules of a read: hidden means 404.
 */
export async function compositionDocument(type: string, id: string, ctx: RequestContext): Promise<Bundle> {
  if (type !== 'Composition')
    throw new BadRequestError('$document is an operation on Composition', 'not-supported');
  return guarded(ctx, type, id, 'operation', async (partition, current, seen) => {
    if (!current) throw absent(type, id);
    if (current.deleted) throw new GoneError(`${type}/${id} has been deleted`);
    const composition = current.resource as Composition;
    const named = [composition.subject?.reference, ...sectionReferences(composition.section ?? [])];
    const references = [...new Set(named.filter((r): r is string => !!r && /^[A-Za-z]+\/[^/]+$/.test(r)))];
    const found = await Promise.all(
      references.map(async (reference) => {
        const [refType, refId] = reference.split('/') as [string, string];
        return readCurrent(refType, refId, partition);
      }),
    );
    const included = found.filter((r): r is StoredResource => !!r && !r.deleted && seen(r));
    const resources: Resource[] = [composition, ...included.map((r) => r.resource)];
    const entry: BundleEntry[] = resources.map((resource) => ({
      fullUrl: `${ctx.fhirBase}/${resource.resourceType}/${resource.id}`,
      resource,
    }));
    return {
      value: {
        resourceType: 'Bundle',
        // A document's identity is its Composition's version: the same letter read twice is the same document.
        identifier: {
          system: 'urn:ietf:rfc:3986',
          value: `${ctx.fhirBase}/Composition/${id}/_history/${current.versionId}`,
        },
        type: 'document',
        timestamp: current.lastUpdated,
        entry,
      },
      references: resources.map((r) => `${r.resourceType}/${r.id}`),
    };
  });
}

/** The references of a letter's sections and their sub-sections. */
function sectionReferences(sections: CompositionSection[]): string[] {
  return sections.flatMap((s) => [
    ...(s.entry ?? []).flatMap((e) => (e.reference ? [e.reference] : [])),
    ...sectionReferences(s.section ?? []),
  ]);
}
