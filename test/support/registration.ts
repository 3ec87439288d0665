import { expect } from 'vitest';
import type { SandboxClient } from '#local/sandbox-clients';
import { ukPatient } from './fixtures.ts';
import { fhirFetch } from './http.ts';

/**
 * Registers a new patient at `practice` as the client of `as` (the practice's GP system by default), and
 * fails the test there unless the sandbox answered 201 Created: a set-up write that went wrong must not
 * surface later as a puzzling 403 or 422.
 */
export async function registerPatient(
  nhs: string,
  {
    as = 'gp',
    practice = 'A81001',
    extra = {},
  }: { as?: SandboxClient['role']; practice?: string; extra?: object } = {},
): Promise<Record<string, unknown>> {
  const { status, body } = await fhirFetch(as, `/Patient/${nhs}`, {
    method: 'PUT',
    body: ukPatient(nhs, practice, extra as Record<string, unknown>),
  });
  expect(status, `registering Patient/${nhs}`).toBe(201);
  return body;
}
