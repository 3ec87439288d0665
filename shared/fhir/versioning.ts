import { BadRequestError, PreconditionFailedError, PreconditionRequiredError } from './operation-outcome.ts';

/** The version an `If-Match` header names (`W/"3"` or `"3"`), or undefined when there is none. */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return undefined;
  const m = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!m) throw new BadRequestError(`If-Match must be a version ETag like W/"3", not '${header}'`, 'value');
  return Number(m[1]);
}

/**
 * The rule for replacing an existing resource: the caller must say which version it read (428 otherwise),
 * and that version must still be current (412 otherwise).
 */
export function assertCurrentVersion(expected: number | undefined, current: number): void {
  if (expected === undefined) {
    throw new PreconditionRequiredError(
      `If-Match is required to update: the current version is W/"${current}"`,
    );
  }
  if (expected !== current) {
    throw new PreconditionFailedError(
      `If-Match W/"${expected}" is stale: the current version is W/"${current}"`,
    );
  }
}
