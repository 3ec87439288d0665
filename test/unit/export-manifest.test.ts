import { describe, expect, it } from 'vitest';
import { exportProgress } from '#shared/export/export-job';
import { bulkManifest, OPTED_OUT_EXTENSION, PATIENTS_EXTENSION } from '#shared/export/export-manifest';

describe('the Bulk Data manifest and progress', () => {
  it('lists every file by type with its count, needs no access token, and counts the patients left out', () => {
    const manifest = bulkManifest(
      '2026-02-01T09:00:00.000Z',
      'https://fhir.example-icb.nhs.uk/FHIR/R4/$export?_type=Patient,Condition',
      [
        { type: 'Patient', key: 'exports/e/Patient/001-b.ndjson', count: 2 },
        { type: 'Condition', key: 'exports/e/Condition/000-a.ndjson', count: 5 },
      ],
      { patients: 2, optedOut: 1, resources: { Patient: 2, Condition: 5 } },
    );

    expect(manifest).toEqual({
      transactionTime: '2026-02-01T09:00:00.000Z',
      request: 'https://fhir.example-icb.nhs.uk/FHIR/R4/$export?_type=Patient,Condition',
      requiresAccessToken: false,
      output: [
        { type: 'Condition', key: 'exports/e/Condition/000-a.ndjson', count: 5 },
        { type: 'Patient', key: 'exports/e/Patient/001-b.ndjson', count: 2 },
      ],
      error: [],
      extension: { [PATIENTS_EXTENSION]: 2, [OPTED_OUT_EXTENSION]: 1 },
    });
  });

  it('says how many segments are scanned while an export runs', () => {
    expect(exportProgress({ status: 'accepted' })).toBe('accepted, starting');
    expect(exportProgress({ status: 'in-progress', totalSegments: 16, segmentsDone: [0, 3] })).toBe(
      '2 of 16 segments scanned',
    );
  });
});
