import { Client } from 'fhir-kit-client';
import type { SandboxClient } from '#local/sandbox-clients';
import { accessToken, sandbox } from './sandbox-client.ts';

/** A real FHIR client (fhir-kit-client) authenticated as the sandbox client of `role`. */
export async function fhirClient(role: SandboxClient['role'], headers: Record<string, string> = {}) {
  return new Client({
    baseUrl: sandbox().clients.fhirBase,
    bearerToken: await accessToken(role),
    customHeaders: headers,
  });
}

/** The status and body of a failed fhir-kit-client call. */
export async function failure(
  call: Promise<unknown>,
): Promise<{ status: number; data: Record<string, unknown> }> {
  try {
    await call;
  } catch (e) {
    const response = (e as { response?: { status: number; data: unknown } }).response;
    if (!response) throw e;
    const data = typeof response.data === 'string' ? JSON.parse(response.data) : response.data;
    return { status: response.status, data: data as Record<string, unknown> };
  }
  throw new Error('Expected the call to fail, and it succeeded');
}
