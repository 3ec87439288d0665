import { describe, expect, it } from 'vitest';
import { exportableTypes, exportRequest } from '#shared/export/export-request';
import { BadRequestError } from '#shared/fhir/operation-outcome';
import { refusal } from '../support/refusal.ts';

const URL = 'https://fhir.example-icb.nhs.uk/FHIR/R4/$export';
const PURPOSES = [{ code: 'screening-invitations', description: 'Screening invitations' }];
const kickOff = (query: Record<string, string[]>, prefer = 'respond-async') =>
  exportRequest({ level: 'system', prefer, query, url: URL, purposes: PURPOSES });

describe('Bulk Data kick-off parameters (Bulk Data Access IG v2, CONTRACT §8)', () => {
  it('asks for every exportable type, pseudonymised, when given no parameters', () => {
    const request = kickOff({});

    expect(request.types).toEqual(exportableTypes('system'));
    expect(request.types).toContain('Organization');
    expect(request.types).not.toContain('AuditEvent');
    expect(request.identifiedFor).toBeUndefined();
    expect(request.url).toBe(URL);
  });

  it('leaves Organization out of a patient-level export', () => {
    expect(exportableTypes('patient')).not.toContain('Organization');
    expect(exportableTypes('patient')).toContain('Patient');
  });

  it('takes _type as a comma-separated list, repeated or not', () => {
    expect(kickOff({ _type: ['Patient,Condition', 'Observation'] }).types).toEqual([
      'Patient',
      'Condition',
      'Observation',
    ]);
  });

  it.each(['application/fhir+ndjson', 'application/ndjson', 'ndjson'])(
    'accepts _outputFormat %s',
    (format) => {
      expect(kickOff({ _outputFormat: [format] }).types.length).toBeGreaterThan(0);
    },
  );

  it('leaves out types not served when the client asks for lenient handling', () => {
    expect(kickOff({ _type: ['Condition,Spaceship'] }, 'respond-async, handling=lenient').types).toEqual([
      'Condition',
    ]);
  });

  it('normalises _since to UTC', () => {
    expect(kickOff({ _since: ['2026-01-31T10:00:00+01:00'] }).since).toBe('2026-01-31T09:00:00.000Z');
  });

  it('gives an identified export the purpose the deployment lists', () => {
    expect(kickOff({ _identified: ['true'], purpose: ['screening-invitations'] }).identifiedFor).toEqual(
      PURPOSES[0],
    );
  });

  it.each([
    ['no Prefer: respond-async', {}, '', /Prefer: respond-async/],
    ['Prefer naming something else', {}, 'return=minimal', /Prefer: respond-async/],
    ['a type not served', { _type: ['Condition,Spaceship'] }, 'respond-async', /Spaceship/],
    ['AuditEvent', { _type: ['AuditEvent'] }, 'respond-async', /AuditEvent/],
    ['an empty _type', { _type: [''] }, 'respond-async', /empty type/],
    ['CSV', { _outputFormat: ['text/csv'] }, 'respond-async', /only format is NDJSON/],
    ['a date for _since', { _since: ['2026-01-31'] }, 'respond-async', /instant/],
    ['a time without a zone', { _since: ['2026-01-31T09:00:00'] }, 'respond-async', /instant/],
    ['_typeFilter', { _typeFilter: ['Condition?code=1'] }, 'respond-async', /_typeFilter is not supported/],
    ['an unknown parameter', { _elements: ['id'] }, 'respond-async', /'_elements' is not supported/],
    [
      'a repeated _since',
      { _since: ['2026-01-31T09:00:00Z', '2026-01-31T09:00:00Z'] },
      'respond-async',
      /once/,
    ],
    [
      '_identified=true without a purpose',
      { _identified: ['true'] },
      'respond-async',
      /purpose the deployment lists/,
    ],
    [
      'an unlisted purpose',
      { _identified: ['true'], purpose: ['curiosity'] },
      'respond-async',
      /screening-invitations/,
    ],
    [
      'a purpose without _identified',
      { purpose: ['screening-invitations'] },
      'respond-async',
      /only for an identified/,
    ],
    ['_identified=yes', { _identified: ['yes'] }, 'respond-async', /true or false/],
  ])('refuses %s with 400', (_, query, prefer, says) => {
    const error = refusal(BadRequestError, () =>
      kickOff(query as Record<string, string[]>, prefer as string),
    );

    expect(error.status).toBe(400);
    expect(error.message).toMatch(says);
  });
});
