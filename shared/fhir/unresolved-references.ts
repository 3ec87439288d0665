import type { Resource } from '@medplum/fhirtypes';
import { BadRequestError } from './operation-outcome.ts';

const PLACEHOLDER = /^urn:(uuid|oid):/i;

/**
 * Throws 400 when a resource about to be stored still holds a `urn:uuid:` (or `urn:oid:`) reference: such a
 * reference only means something inside the Bundle that defines it, and a transaction has already rewritten
 * every one its entries define. A Bundle stored as a resource (a document) is skipped: its references resolve
 * among its own entries.
 */
export function assertNoUnresolvedReferences(resource: Resource): void {
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        visit(item, `${path}[${i}]`);
      });
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const object = value as Record<string, unknown>;
    if (path && object.resourceType === 'Bundle') return;
    for (const [key, child] of Object.entries(object)) {
      const at = path ? `${path}.${key}` : `${resource.resourceType}.${key}`;
      if (key === 'reference' && typeof child === 'string' && PLACEHOLDER.test(child)) {
        throw new BadRequestError(
          `${at} is '${child}', which no entry of the transaction defines (as its fullUrl)`,
          'invalid',
          [at],
        );
      }
      visit(child, at);
    }
  };
  if (resource.resourceType !== 'Bundle') visit(resource, '');
}
