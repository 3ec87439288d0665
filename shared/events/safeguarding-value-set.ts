import type { ValueSet } from '@medplum/fhirtypes';
import { DEFAULT_SAFEGUARDING_CONCEPTS, SNOMED_SYSTEM, safeguardingCodes } from './safeguarding-codes.ts';

export const SAFEGUARDING_VALUE_SET_ID = 'safeguarding-concerns';
export const SAFEGUARDING_VALUE_SET_URL = `https://shared-care-record.org/fhir/ValueSet/${SAFEGUARDING_VALUE_SET_ID}`;

/**
 * The deployment's safeguarding list as a FHIR ValueSet (`GET /ValueSet/safeguarding-concerns`, CONTRACT §5):
 * an active Flag coded with one of these raises `Flag.SafeguardingRaised`, and nothing else does.
 */
export function safeguardingValueSet(codes: string[] = safeguardingCodes()): ValueSet {
  const known = new Map(DEFAULT_SAFEGUARDING_CONCEPTS.map((c) => [c.code, c.display]));
  const concept = codes.map((code) => ({
    code,
    ...(known.has(code) ? { display: known.get(code) } : {}),
  }));
  return {
    resourceType: 'ValueSet',
    id: SAFEGUARDING_VALUE_SET_ID,
    url: SAFEGUARDING_VALUE_SET_URL,
    name: 'SafeguardingConcerns',
    title: 'Safeguarding concerns that raise an alert',
    status: 'active',
    description:
      'The SNOMED CT concepts that make an active Flag a safeguarding concern in this deployment: such a Flag ' +
      'raises Flag.SafeguardingRaised, a Task for each other related organisation and a notification on the ' +
      'safeguarding topic. A Flag with another code raises nothing.',
    compose: { include: [{ system: SNOMED_SYSTEM, concept }] },
    expansion: {
      timestamp: new Date().toISOString(),
      total: concept.length,
      contains: concept.map((c) => ({ system: SNOMED_SYSTEM, ...c })),
    },
  };
}
