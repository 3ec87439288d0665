import { BadRequestError } from './operation-outcome.ts';

/** FHIR R4's `id` type: 1 to 64 letters, digits, `-` and `.`. */
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Throws 400 unless `id` is a valid FHIR logical id. */
export function assertResourceId(id: string): void {
  if (!ID.test(id)) {
    throw new BadRequestError('A resource id must be 1 to 64 letters, digits, "-" or "."', 'value');
  }
}
