import type { SandboxClient } from '#local/sandbox-clients';
import { accessToken, sandbox } from './sandbox-client.ts';

/** A raw FHIR call over HTTP as the client of `role`, for what a FHIR client library hides (status, headers). */
export async function fhirFetch(
  role: SandboxClient['role'],
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${sandbox().clients.fhirBase}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${await accessToken(role)}`,
      ...(init.body !== undefined ? { 'Content-Type': 'application/fhir+json' } : {}),
      ...init.headers,
    },
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}
