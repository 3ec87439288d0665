import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateOperation } from '#shared/interactions/validate';
import { minimalInstance, r4ResourceTypeNames } from '../support/minimal-r4-instances.ts';

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

/**
 * Where a type's required elements alone fail one of its R4 invariants, the elements that satisfy it (each
 * failure seen here is the validator right about an incomplete instance, so it is not papered over silently).
 */
const supplements: Record<string, { invariant: string; add: Record<string, unknown> }> = {
  Appointment: {
    invariant: 'app-1: a participant has a type or an actor',
    add: { participant: [{ status: 'accepted', actor: { reference: 'Patient/minimal' } }] },
  },
  AppointmentResponse: {
    invariant: 'apr-1: a participantType or an actor',
    add: { actor: { reference: 'Patient/minimal' } },
  },
  Bundle: {
    invariant:
      'bdl-9, bdl-10, bdl-11: a document (the first code of bundle-type) needs an identifier, a date and a Composition',
    add: { type: 'collection' },
  },
  CapabilityStatement: {
    invariant:
      'cpb-1, cpb-2, cpb-14: rest, messaging or document; a description; an instance needs implementation',
    add: { kind: 'requirements', description: 'Minimal', rest: [{ mode: 'server' }] },
  },
  EventDefinition: {
    invariant: 'trd-3: a named event has a name',
    add: { trigger: [{ type: 'named-event', name: 'minimal' }] },
  },
  ImmunizationRecommendation: {
    invariant: 'imr-1: a vaccineCode or a targetDisease',
    add: { recommendation: [{ forecastStatus: { text: 'Minimal' }, vaccineCode: [{ text: 'Minimal' }] }] },
  },
  InsurancePlan: { invariant: 'ipn-1: a name or an identifier', add: { name: 'Minimal' } },
  Linkage: {
    invariant: 'lnk-1: at least two items',
    add: {
      item: [
        { type: 'source', resource: { reference: 'Patient/a' } },
        { type: 'alternate', resource: { reference: 'Patient/b' } },
      ],
    },
  },
  StructureDefinition: {
    invariant:
      'sdf-6: a differential or a snapshot (sdf-14, sdf-17, eld-19: elements with ids and plain paths)',
    add: {
      kind: 'logical',
      type: 'Minimal',
      differential: { element: [{ id: 'Minimal', path: 'Minimal' }] },
    },
  },
  TerminologyCapabilities: {
    invariant: 'tcp-2, tcp-3: a description; an instance needs implementation',
    add: { kind: 'requirements', description: 'Minimal' },
  },
};

function validInstance(type: string): Record<string, unknown> {
  return { ...minimalInstance(type), ...supplements[type]?.add };
}

describe('$validate knows every R4 resource type', () => {
  const types = r4ResourceTypeNames();
  const examples = officialExamples();
  const cases = types.map((type) => {
    const official = examples.get(type);
    return [
      type,
      official ? `official ${official.file}` : 'minimal',
      official?.resource ?? validInstance(type),
    ] as const;
  });

  it('has the 146 resource types of R4 (4.0.1)', () => {
    expect(types).toHaveLength(146);
    expect(types).toContain('Questionnaire');
    expect(types).not.toContain('SubscriptionStatus');
  });

  it.each(cases)('accepts a valid %s (%s) with a 200 OperationOutcome', async (type, _source, resource) => {
    const outcome = await validateOperation(type, structuredClone(resource), undefined);

    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
  });

  it.each(types)('refuses a %s with an unknown element, with a 200 OperationOutcome', async (type) => {
    const resource = { ...validInstance(type), favouriteColour: 'blue' };

    const outcome = await validateOperation(type, resource, undefined);

    expect(outcome.issue).toContainEqual(
      expect.objectContaining({ severity: 'error', expression: [`${type}.favouriteColour`] }),
    );
  });
});
