import type { FunctionName } from '../service/functions.ts';
import type { OrganisationRole } from './supplier-client.ts';

/** The function that serves bulk export (CONTRACT §8). */
const EXPORT_FUNCTION: FunctionName = 'bulk-export';

/**
 * Why the caller's role may not call this function, or undefined when it may (CONTRACT §8): only the ICB's
 * analysts export, and an analyst does nothing else, whatever its scopes say: secondary use never reaches the
 * record by the direct-care paths, and direct care never takes a population's data.
 *
 * @example roleRefusal('analyst', 'fhir') // 'An analyst client may only use bulk export …'
 */
export function roleRefusal(role: OrganisationRole, fn: FunctionName): string | undefined {
  if (role === 'analyst' && fn !== EXPORT_FUNCTION) {
    return 'An analyst client may only use bulk export ($export and its status URL); it has no access to the record otherwise';
  }
  if (role !== 'analyst' && fn === EXPORT_FUNCTION) {
    return "Bulk export is for the ICB's population-health analysts only (the analyst role)";
  }
  return undefined;
}
