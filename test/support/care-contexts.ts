import { expect } from 'vitest';
import type { SandboxClient } from '#local/sandbox-clients';
import { fhirFetch } from './http.ts';

/**
 * Records an open Encounter (an outpatient attendance in progress) for the organisation of `role`: the care
 * context that gives it a relationship with the patient (CONTRACT §4), as a trust's system would before
 * contributing to the record. Returns the Encounter's id.
 */
export async function openCareContext(role: SandboxClient['role'], nhs: string): Promise<string> {
  const created = await fhirFetch(role, '/Encounter', {
    method: 'POST',
    body: {
      resourceType: 'Encounter',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${nhs}` },
    },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}
