import type { Issue } from '../operation-outcome.ts';

/** A URI with a scheme (RFC 3986 §4.3): `http://…`, `urn:oid:…`, `urn:uuid:…`. */
const absoluteUri = /^[A-Za-z][A-Za-z0-9+.-]*:\S/;

/** Whether a URI is absolute, that is, has a scheme. */
export function isAbsoluteUri(value: string): boolean {
  return absoluteUri.test(value);
}

/**
 * Checks that a Coding names its code system by an absolute URI.
 * R4 terminologies.html §4.1: a code system is identified by its URI (an http(s) URL, urn:oid: or urn:uuid:).
 */
export function checkCodingSystem(coding: Record<string, unknown>, path: string, issues: Issue[]): void {
  const { system } = coding;
  if (typeof system !== 'string' || system.length === 0 || isAbsoluteUri(system)) return;
  issues.push({
    severity: 'error',
    code: 'value',
    diagnostics: `A Coding's system must be an absolute URI, not '${system}'`,
    expression: [`${path}.system`],
  });
}

/**
 * Checks that a canonical reference is an absolute URL, or a '#id' fragment naming a contained resource.
 * R4 references.html#canonical: a canonical reference is to the canonical URL of a resource, which is absolute.
 */
export function checkCanonical(value: unknown, path: string, issues: Issue[]): void {
  if (typeof value !== 'string' || value.length === 0 || value.startsWith('#') || isAbsoluteUri(value))
    return;
  issues.push({
    severity: 'error',
    code: 'value',
    diagnostics: `A canonical reference must be an absolute URL (or '#id' for a contained resource), not '${value}'`,
    expression: [path],
  });
}
