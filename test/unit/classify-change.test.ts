import type { Condition, DocumentReference, Encounter, Flag, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { type ChangeContext, eventsForChange } from '#shared/events/classify-change';
import { officialExample } from '../support/fixtures.ts';

// Expected values are CONTRACT §5's words: the detail-types, the v3-ActCode classes that are admissions, and the
// default safeguarding concepts, written out here rather than read from the code.
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const SNOMED = 'http://snomed.info/sct';
const context: ChangeContext = {
  patient: '9000000009',
  contributor: 'RX2',
  safeguardingCodes: ['836881000000105', '1064961000000107', '878111000000109', '342191000000101'],
};

/** HL7's example Encounter (class IMP) for the patient, with the class and status given. */
function encounter(classCode: string, status: Encounter['status'], id = 'enc-1'): Encounter {
  return {
    ...(officialExample('encounter-example.json') as unknown as Encounter),
    id,
    status,
    class: { system: ACT_CODE, code: classCode },
    subject: { reference: 'Patient/9000000009' },
  };
}

/** HL7's example Flag, coded with `code` from SNOMED CT, in `status`. */
function flag(code: string, status: Flag['status'], id = 'flag-1'): Flag {
  return {
    ...(officialExample('flag-example.json') as unknown as Flag),
    id,
    status,
    code: { coding: [{ system: SNOMED, code }] },
    subject: { reference: 'Patient/9000000009' },
  };
}

function patient(extra: Partial<Patient> = {}): Patient {
  const { deceasedBoolean: _alive, ...example } = officialExample(
    'patient-example.json',
  ) as unknown as Patient;
  return { ...example, id: '9000000009', ...extra };
}

const detailTypes = (events: ReturnType<typeof eventsForChange>) => events.map((e) => e.detailType);

describe('Encounter admissions and discharges', () => {
  it.each(['IMP', 'ACUTE', 'EMER'])(
    'an Encounter of class %s becoming in-progress is Encounter.Admitted',
    (code) => {
      const events = eventsForChange(undefined, encounter(code, 'in-progress'), context);

      expect(events).toEqual([
        {
          detailType: 'Encounter.Admitted',
          detail: {
            patient: 'Patient/9000000009',
            focus: 'Encounter/enc-1',
            contributor: 'RX2',
            class: code,
          },
        },
      ]);
    },
  );

  it.each(['IMP', 'ACUTE', 'EMER'])(
    'an Encounter of class %s becoming finished is Encounter.Discharged',
    (code) => {
      const events = eventsForChange(encounter(code, 'in-progress'), encounter(code, 'finished'), context);

      expect(detailTypes(events)).toEqual(['Encounter.Discharged']);
      expect(events[0]?.detail.class).toBe(code);
    },
  );

  it.each(['AMB', 'HH', 'VR'])('an Encounter of class %s (not an admission) raises nothing', (code) => {
    expect(eventsForChange(undefined, encounter(code, 'in-progress'), context)).toEqual([]);
    expect(eventsForChange(encounter(code, 'in-progress'), encounter(code, 'finished'), context)).toEqual([]);
  });

  it('an admission class from another code system raises nothing', () => {
    const elsewhere = {
      ...encounter('IMP', 'in-progress'),
      class: { system: 'http://example.org/classes', code: 'IMP' },
    };
    expect(eventsForChange(undefined, elsewhere, context)).toEqual([]);
  });

  it('saving an admitted Encounter again, still in-progress, raises nothing', () => {
    const admitted = encounter('IMP', 'in-progress');
    const resaved = { ...admitted, period: { start: '2026-11-01T10:00:00Z' } };
    expect(eventsForChange(admitted, resaved, context)).toEqual([]);
  });

  it('an admission Encounter planned or cancelled raises nothing', () => {
    expect(eventsForChange(undefined, encounter('IMP', 'planned'), context)).toEqual([]);
    expect(eventsForChange(encounter('IMP', 'planned'), encounter('IMP', 'cancelled'), context)).toEqual([]);
  });

  it('deleting an Encounter raises nothing', () => {
    expect(eventsForChange(encounter('IMP', 'in-progress'), undefined, context)).toEqual([]);
  });
});

describe('safeguarding flags', () => {
  it.each(['836881000000105', '1064961000000107', '878111000000109', '342191000000101'])(
    'an active Flag coded %s (a default safeguarding concept) is Flag.SafeguardingRaised with its code',
    (code) => {
      expect(eventsForChange(undefined, flag(code, 'active'), context)).toEqual([
        {
          detailType: 'Flag.SafeguardingRaised',
          detail: { patient: 'Patient/9000000009', focus: 'Flag/flag-1', contributor: 'RX2', code },
        },
      ]);
    },
  );

  it('an inactive Flag with a safeguarding code raises nothing', () => {
    expect(eventsForChange(undefined, flag('836881000000105', 'inactive'), context)).toEqual([]);
  });

  it('a Flag made active again after being inactive raises it again; saving an active one again does not', () => {
    const inactive = flag('836881000000105', 'inactive');
    const active = flag('836881000000105', 'active');
    expect(detailTypes(eventsForChange(inactive, active, context))).toEqual(['Flag.SafeguardingRaised']);
    expect(eventsForChange(active, { ...active, period: { start: '2026-11-01' } }, context)).toEqual([]);
  });

  it("HL7's example Flag (a local code, not safeguarding) raises nothing when active", () => {
    const bigDog = {
      ...(officialExample('flag-example.json') as unknown as Flag),
      id: 'flag-2',
      status: 'active',
    };
    expect(eventsForChange(undefined, bigDog as Flag, context)).toEqual([]);
  });

  it("follows the deployment's configured list, not the default: a configured code raises, a default one does not", () => {
    const configured: ChangeContext = { ...context, safeguardingCodes: ['225337009'] };
    expect(eventsForChange(undefined, flag('225337009', 'active'), configured)[0]?.detail.code).toBe(
      '225337009',
    );
    expect(eventsForChange(undefined, flag('836881000000105', 'active'), configured)).toEqual([]);
  });

  it('a safeguarding code from another system than SNOMED CT raises nothing', () => {
    const other: Flag = {
      ...flag('836881000000105', 'active'),
      code: { coding: [{ system: 'http://example.org/local', code: '836881000000105' }] },
    };
    expect(eventsForChange(undefined, other, context)).toEqual([]);
  });
});

describe('deaths', () => {
  it('a Patient recorded as deceased (deceasedBoolean) is Patient.Deceased', () => {
    expect(eventsForChange(patient(), patient({ deceasedBoolean: true }), context)).toEqual([
      {
        detailType: 'Patient.Deceased',
        detail: { patient: 'Patient/9000000009', focus: 'Patient/9000000009', contributor: 'RX2' },
      },
    ]);
  });

  it('a Patient recorded with a date of death (deceasedDateTime) is Patient.Deceased', () => {
    const events = eventsForChange(patient(), patient({ deceasedDateTime: '2026-11-20T08:30:00Z' }), context);
    expect(detailTypes(events)).toEqual(['Patient.Deceased']);
  });

  it('a Patient created already deceased is Patient.Deceased', () => {
    expect(detailTypes(eventsForChange(undefined, patient({ deceasedBoolean: true }), context))).toEqual([
      'Patient.Deceased',
    ]);
  });

  it('saving a deceased Patient again, or a living one, raises nothing', () => {
    const dead = patient({ deceasedBoolean: true });
    expect(eventsForChange(dead, { ...dead, gender: 'female' }, context)).toEqual([]);
    expect(eventsForChange(patient(), patient({ gender: 'female' }), context)).toEqual([]);
    expect(eventsForChange(patient(), patient({ deceasedBoolean: false }), context)).toEqual([]);
  });
});

describe('documents and other types', () => {
  const document = (status: DocumentReference['status']): DocumentReference => ({
    resourceType: 'DocumentReference',
    id: 'doc-1',
    status,
    subject: { reference: 'Patient/9000000009' },
    content: [{ attachment: { contentType: 'text/plain', url: 'Binary/b-1' } }],
  });

  it('a current DocumentReference is DocumentReference.Added; superseding it raises nothing', () => {
    expect(detailTypes(eventsForChange(undefined, document('current'), context))).toEqual([
      'DocumentReference.Added',
    ]);
    expect(eventsForChange(document('current'), document('superseded'), context)).toEqual([]);
  });

  it('a Condition raises nothing', () => {
    const condition = { ...officialExample<Condition>('condition-example.json'), id: 'c-1' } as never;
    expect(eventsForChange(undefined, condition, context)).toEqual([]);
  });
});
