import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { currentMedicationList, isCurrent } from '#shared/interactions/current-medications';
import type { StoredResource } from '#shared/record/record-store';

// "Current" as the operation documents it (worked example `current-medications`): statements active or
// intended; prescriptions that are active orders still valid; dispensings within 90 days (or their supply).
const NOW = Date.parse('2026-12-01T12:00:00Z');
const subject = { reference: 'Patient/9000000009' };
const amlodipine = {
  coding: [{ system: 'http://snomed.info/sct', code: '319283006', display: 'Amlodipine 5mg tablets' }],
};

const stored = (resource: Resource, contributor: string): StoredResource => ({
  partition: 'PATIENT#9000000009',
  resource,
  versionId: 1,
  lastUpdated: '2026-11-26T10:00:00Z',
  contributor,
  deleted: false,
});

describe('which medication records are current', () => {
  it('counts statements that are active or intended, and no others', () => {
    const statement = (status: string) =>
      ({
        resourceType: 'MedicationStatement',
        status,
        subject,
        medicationCodeableConcept: amlodipine,
      }) as Resource;
    expect(
      ['active', 'intended', 'completed', 'stopped', 'on-hold', 'entered-in-error'].filter((s) =>
        isCurrent(statement(s), NOW),
      ),
    ).toEqual(['active', 'intended']);
  });

  it('counts active orders whose validity has not ended, not proposals or plans', () => {
    const request = (extra: Record<string, unknown>) =>
      ({
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        subject,
        ...extra,
      }) as Resource;
    expect(isCurrent(request({}), NOW)).toBe(true);
    expect(isCurrent(request({ intent: 'proposal' }), NOW)).toBe(false);
    expect(isCurrent(request({ status: 'completed' }), NOW)).toBe(false);
    expect(isCurrent(request({ dispenseRequest: { validityPeriod: { end: '2026-11-30' } } }), NOW)).toBe(
      false,
    );
    expect(isCurrent(request({ dispenseRequest: { validityPeriod: { end: '2027-01-01' } } }), NOW)).toBe(
      true,
    );
  });

  it('counts dispensings handed over within 90 days, or within a longer supply', () => {
    const dispense = (whenHandedOver: string, days?: number) =>
      ({
        resourceType: 'MedicationDispense',
        status: 'completed',
        subject,
        whenHandedOver,
        ...(days
          ? { daysSupply: { value: days, unit: 'day', system: 'http://unitsofmeasure.org', code: 'd' } }
          : {}),
      }) as Resource;
    expect(isCurrent(dispense('2026-09-03T12:00:00Z'), NOW)).toBe(true); // 89 days ago
    expect(isCurrent(dispense('2026-09-01T12:00:00Z'), NOW)).toBe(false); // 91 days ago
    expect(isCurrent(dispense('2026-07-01T12:00:00Z', 168), NOW)).toBe(true); // a 24-week supply
  });
});

describe('the current medication list', () => {
  it('groups one medicine from several sources, by its SNOMED CT or dm+d code, newest first', () => {
    const list = currentMedicationList(
      [
        stored(
          {
            resourceType: 'MedicationStatement',
            id: 's1',
            status: 'active',
            subject,
            medicationCodeableConcept: amlodipine,
            effectiveDateTime: '2025-01-01',
          } as Resource,
          'A81001',
        ),
        stored(
          {
            resourceType: 'MedicationDispense',
            id: 'd1',
            status: 'completed',
            subject,
            contained: [
              {
                resourceType: 'Medication',
                id: 'm',
                code: { coding: [{ system: 'https://dmd.nhs.uk', code: '319283006' }] },
              },
            ],
            medicationReference: { reference: '#m' },
            whenHandedOver: '2026-11-25T09:00:00Z',
          } as Resource,
          'FA123',
        ),
        stored(
          {
            resourceType: 'MedicationRequest',
            id: 'r1',
            status: 'active',
            intent: 'order',
            subject,
            medicationCodeableConcept: { text: 'Paracetamol 500mg' },
            authoredOn: '2026-11-01',
          } as Resource,
          'RX1',
        ),
        stored(
          {
            resourceType: 'MedicationRequest',
            id: 'r2',
            status: 'active',
            intent: 'order',
            subject,
            medicationCodeableConcept: { text: 'paracetamol 500mg ' },
            authoredOn: '2026-11-20',
          } as Resource,
          'RX2',
        ),
      ],
      NOW,
    );
    expect(
      list.map((m) => ({
        medicine: m.medication.text ?? m.medication.coding?.[0]?.code,
        sources: m.sources.map((s) => `${s.resource.id}@${s.organisation}`),
      })),
    ).toEqual([
      { medicine: '319283006', sources: ['d1@FA123', 's1@A81001'] },
      { medicine: 'Paracetamol 500mg', sources: ['r2@RX2', 'r1@RX1'] },
    ]);
  });
});
