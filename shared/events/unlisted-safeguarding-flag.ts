import type { Flag, Resource } from '@medplum/fhirtypes';
import type { Issue } from '../fhir/operation-outcome.ts';
import { SNOMED_SYSTEM } from './safeguarding-codes.ts';

const FLAG_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/flag-category';
/** Flag categories under which safeguarding concerns are recorded: safety and behavioural. */
const SAFEGUARDING_CATEGORIES = ['safety', 'behavioral'];
const SAFEGUARDING_WORDS = /safeguard|child protection|looked after child|vulnerable adult|adult at risk/i;

/**
 * The warning for a Flag that looks like a safeguarding concern (a safety or behavioural category, or text that
 * mentions safeguarding) but whose code is not on the deployment's list, so it raises no alert: stored all the
 * same, but the supplier is told in testing rather than a concern going unseen. Undefined for any other resource.
 */
export function unlistedSafeguardingFlag(resource: Resource, codes: string[]): Issue | undefined {
  if (resource.resourceType !== 'Flag') return undefined;
  const flag = resource as Flag;
  if (flag.status !== 'active') return undefined;
  const snomed = (flag.code?.coding ?? []).filter((c) => c.system === SNOMED_SYSTEM);
  if (snomed.some((c) => codes.includes(c.code ?? ''))) return undefined;
  const categorised = (flag.category ?? []).some((cat) =>
    (cat.coding ?? []).some(
      (c) => c.system === FLAG_CATEGORY_SYSTEM && SAFEGUARDING_CATEGORIES.includes(c.code ?? ''),
    ),
  );
  const texts = [flag.code?.text, ...(flag.code?.coding ?? []).map((c) => c.display)];
  const worded = texts.some((t) => t && SAFEGUARDING_WORDS.test(t));
  if (!categorised && !worded) return undefined;
  const given = snomed.map((c) => c.code).join(', ') || 'no SNOMED CT code';
  return {
    severity: 'warning',
    code: 'code-invalid',
    diagnostics:
      `This Flag looks like a safeguarding concern but its code (${given}) is not on the deployment's ` +
      'safeguarding list, so it raises no alert, Task or notification. Code it with a concept from ' +
      'ValueSet/safeguarding-concerns, or ask the ICB to add the code to the list.',
    expression: ['Flag.code'],
  };
}
