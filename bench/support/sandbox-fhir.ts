import type { SandboxProcess } from './sandbox-process.ts';

/** A FHIR call to the running sandbox over HTTP, insisting on the status expected; returns the parsed body. */
export async function sandboxFhir(
  sandbox: SandboxProcess,
  token: string,
  request: { method: string; path: string; body?: unknown; headers?: Record<string, string> },
  status: number,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.clients.fhirBase}${request.path}`, {
    method: request.method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(request.body !== undefined ? { 'Content-Type': 'application/fhir+json' } : {}),
      ...request.headers,
    },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
  const text = await response.text();
  if (response.status !== status) {
    throw new Error(`${request.method} ${request.path}: ${response.status} (expected ${status}) ${text}`);
  }
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
