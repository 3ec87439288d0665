import { describe, expect, it } from 'vitest';

// The key comes from the cursor secret (the sandbox's CURSOR_SECRET): set before the module first loads.
process.env.CURSOR_SECRET = 'record-id-test-secret-of-thirty-two-chars';
const { newRecordId, patientOfRecordId } = await import('#shared/record/record-id');

describe('record ids that name their patient’s partition (read-your-writes without an index)', () => {
  it('give back the NHS number they were made for', async () => {
    for (const nhs of ['9000000009', '9000000017', '4010232137', '0123456789']) {
      expect(await patientOfRecordId(await newRecordId(nhs))).toBe(nhs);
    }
  });

  it('are valid FHIR ids that neither show the NHS number nor link two resources of one patient', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, () => newRecordId('9000000009')));
    for (const id of ids) {
      // FHIR R4 id: [A-Za-z0-9\-\.]{1,64}.
      expect(id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
      expect(id).not.toContain('9000000009');
    }
    expect(new Set(ids).size).toBe(50);
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBeGreaterThan(40);
  });

  it('leave ids they did not make to the index: UUIDs, and hex that does not carry the mark', async () => {
    expect(await patientOfRecordId('3f2b7c1e-0d4a-4f7e-9d55-1b2c3d4e5f60')).toBeUndefined();
    expect(await patientOfRecordId('00000000000000000000000000000000')).toBeUndefined();
    expect(await patientOfRecordId('not-an-id')).toBeUndefined();
  });
});
