import type { SandboxClient } from '#local/sandbox-clients';
import { accessToken, sandbox } from './sandbox-client.ts';

/** The person the tests launch the viewer for (an SDS user id from the test range, a role code and a name). */
export const TEST_PERSON = { id: '555000111222', role: 'R8000', name: 'Dr Alex Tester' };

/** `POST /viewer/launch` as the supplier system of `role`, for the test person; answers the status and body. */
export async function launchViewer(
  role: SandboxClient['role'],
  nhs: string,
  headers: Record<string, string> = {},
  person = TEST_PERSON,
) {
  const response = await fetch(`${sandbox().url}/viewer/launch`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${await accessToken(role)}`,
      'Content-Type': 'application/fhir+json',
      ...(person.id ? { 'NHSD-End-User-Id': person.id } : {}),
      'NHSD-End-User-Role': person.role,
      ...headers,
    },
    body: JSON.stringify({
      resourceType: 'Parameters',
      parameter: [
        { name: 'patient', valueReference: { reference: `Patient/${nhs}` } },
        { name: 'name', valueString: person.name },
      ],
    }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** The single-use URL of a successful launch. */
export async function launchUrl(
  role: SandboxClient['role'],
  nhs: string,
  headers: Record<string, string> = {},
) {
  const launched = await launchViewer(role, nhs, headers);
  if (launched.status !== 200)
    throw new Error(`Launch answered ${launched.status}: ${JSON.stringify(launched.body)}`);
  const parameters = launched.body.parameter as { name: string; valueUrl?: string }[];
  return parameters.find((p) => p.name === 'url')?.valueUrl as string;
}

/** A browser without JavaScript: follows the launch URL and keeps the session cookie it is given. */
export class ViewerBrowser {
  cookie = '';

  /** Opens the launch URL; answers the status and the redirect target (the record page) or page text. */
  async open(url: string): Promise<{ status: number; location?: string; setCookie?: string; body: string }> {
    const response = await fetch(url, { redirect: 'manual' });
    const setCookie = response.headers.get('set-cookie') ?? undefined;
    if (setCookie) this.cookie = setCookie.split(';')[0] as string;
    return {
      status: response.status,
      location: response.headers.get('location') ?? undefined,
      setCookie,
      body: await response.text(),
    };
  }

  async get(url: string) {
    const response = await fetch(url, {
      redirect: 'manual',
      headers: this.cookie ? { Cookie: this.cookie } : {},
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  async post(url: string, fields: Record<string, string>) {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(this.cookie ? { Cookie: this.cookie } : {}),
      },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }
}
