import { describe, expect, it } from 'vitest';
import { searchParameter, searchParameters } from '#shared/fhir/definitions/search-parameters';

describe('searchParameters', () => {
  it('gives the R4 parameters of a type with their FHIRPath cut down to that type', () => {
    const code = searchParameter('Observation', 'code');

    expect(code).toEqual({ name: 'code', type: 'token', expression: 'Observation.code' });
  });

  it('gives the common parameters to every type', () => {
    for (const type of ['Patient', 'Observation', 'Task', 'Binary']) {
      expect(searchParameter(type, '_id')).toMatchObject({ type: 'token' });
      expect(searchParameter(type, '_lastUpdated')).toMatchObject({
        type: 'date',
        expression: 'Resource.meta.lastUpdated',
      });
    }
  });

  it('has the parameters the contract names for clinical types', () => {
    expect(searchParameter('AllergyIntolerance', 'clinical-status')).toMatchObject({
      type: 'token',
      expression: 'AllergyIntolerance.clinicalStatus',
    });
    expect(searchParameter('Condition', 'patient')).toMatchObject({
      type: 'reference',
      expression: 'Condition.subject.where(resolve() is Patient)',
    });
    expect(searchParameter('Encounter', 'date')).toMatchObject({
      type: 'date',
      expression: 'Encounter.period',
    });
    expect(searchParameter('DocumentReference', 'type')).toMatchObject({ type: 'token' });
  });

  it('has no parameter R4 does not define, and none of the types it does not serve', () => {
    expect(searchParameter('Patient', 'banana')).toBeUndefined();
    expect(searchParameters('Claim').map((p) => p.name)).toEqual(['_id', '_lastUpdated']);
  });

  it('leaves out composite and special parameters', () => {
    const types = new Set(
      ['Observation', 'Patient', 'Encounter', 'Subscription'].flatMap((t) =>
        searchParameters(t).map((p) => p.type),
      ),
    );

    expect([...types].sort()).toEqual(['date', 'quantity', 'reference', 'string', 'token', 'uri']);
  });
});
