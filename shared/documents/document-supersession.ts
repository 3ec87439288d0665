import type { DocumentReference } from '@medplum/fhirtypes';
import { BadRequestError } from '../fhir/operation-outcome.ts';

/**
 * The ids of the DocumentReferences a document replaces (`relatesTo` with code `replaces`), which become
 * `superseded` when it is stored. Only DocumentReferences can be replaced, and not by themselves.
 * @example replacedDocuments({ resourceType: 'DocumentReference', relatesTo: [{ code: 'replaces', target: { reference: 'DocumentReference/a' } }] }, 'b') // ['a']
 */
export function replacedDocuments(document: DocumentReference, id: string): string[] {
  const replaced = new Set<string>();
  for (const [index, relation] of (document.relatesTo ?? []).entries()) {
    if (relation.code !== 'replaces') continue;
    const target = /^DocumentReference\/([A-Za-z0-9\-.]{1,64})$/.exec(relation.target?.reference ?? '')?.[1];
    const path = [`DocumentReference.relatesTo[${index}].target`];
    if (!target)
      throw new BadRequestError(
        'A document replaces another DocumentReference: DocumentReference/{id}',
        'value',
        path,
      );
    if (target === id) throw new BadRequestError('A document cannot replace itself', 'value', path);
    replaced.add(target);
  }
  return [...replaced];
}

/** The replaced document as it stands once superseded. */
export function superseded(document: DocumentReference): DocumentReference {
  return { ...document, status: 'superseded' };
}
