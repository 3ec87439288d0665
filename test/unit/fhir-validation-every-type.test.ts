import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RequestContext } from '#shared/http/request-context';
import { validateOperation } from '#shared/interactions/validate';
import { r4ResourceTypeNames, validInstance } from '../support/minimal-r4-instances.ts';

/** Mode general checks base R4 only: no access decision reads the caller. */
const generalContext: RequestContext = {
  caller: { clientId: 'validator-test', odsCode: 'A81001', role: 'gp', scopes: [] },
  purpose: { code: 'TREAT' },
  fhirBase: 'http://localhost/FHIR/R4',
};

const examplesFolder = join(import.meta.dirname, '../../../shared/fhir-test-cases/examples');

/** HL7's official R4 examples in fhir-test-cases, by resource type (one per type). */
function officialExamples(): Map<string, { file: string; resource: Record<string, unknown> }> {
  const byType = new Map<string, { file: string; resource: Record<string, unknown> }>();
  for (const file of readdirSync(examplesFolder)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const resource = JSON.parse(readFileSync(join(examplesFolder, file), 'utf8'));
    if (!byType.has(resource.resourceType)) byType.set(resource.resourceType, { file, resource });
  }
  return byType;
}

describe('$validate knows every R4 resource type', () => {
  const types = r4ResourceTypeNames();
  const examples = officialExamples();
  // HL7's official example where fhir-test-cases has one, and a minimal valid instance of every type.
  const cases = [
    ...[...examples].map(([type, { file, resource }]) => [type, `official ${file}`, resource] as const),
    ...types.map((type) => [type, 'minimal', validInstance(type)] as const),
  ];

  it('has the 146 resource types of R4 (4.0.1)', () => {
    expect(types).toHaveLength(146);
    expect(types).toContain('Questionnaire');
    expect(types).not.toContain('SubscriptionStatus');
  });

  it.each(cases)('accepts a valid %s (%s) with a 200 OperationOutcome', async (type, _source, resource) => {
    const outcome = await validateOperation(type, structuredClone(resource), undefined, generalContext);

    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
  });

  it.each(types)('refuses a %s with an unknown element, with a 200 OperationOutcome', async (type) => {
    const resource = { ...validInstance(type), favouriteColour: 'blue' };

    const outcome = await validateOperation(type, resource, undefined, generalContext);

    expect(outcome.issue).toContainEqual(
      expect.objectContaining({ severity: 'error', expression: [`${type}.favouriteColour`] }),
    );
  });
});
