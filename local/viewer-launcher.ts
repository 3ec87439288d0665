import type { IncomingMessage } from 'node:http';
import escapeHtml from 'escape-html';
import { importJWK, SignJWT } from 'jose';
import { DEMO_PATIENT } from './demo-patient.ts';
import type { LocalRoute } from './gateway.ts';
import type { SandboxClientsFile } from './sandbox-clients.ts';

const PATH = '/_sandbox/viewer';
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The seeded patients a newcomer can open, the demo patient first. */
const PATIENTS = [
  [DEMO_PATIENT, 'Margaret Oakley: the demo record, with contributions from every organisation'],
  ['9000000009', 'Jane Example: registered at Riverside Medical Practice, little recorded'],
  ['9000000017', 'John Sample: registered at Riverside Medical Practice, little recorded'],
];

/**
 * `/_sandbox/viewer`: plays a supplier system's part in CONTRACT §7 so a newcomer can open the viewer with one
 * click. It signs the chosen client's assertion, gets a token, calls `POST /viewer/launch` for a person and a
 * patient, and sends the browser to the single-use URL. Loopback only, as it holds the clients' private keys.
 */
export function viewerLauncher(baseUrl: string, clients: SandboxClientsFile): LocalRoute {
  // Analysts read everything by scope but may only export (CONTRACT §8): the viewer is not theirs.
  const clinical = clients.clients.filter(
    (c) => c.role !== 'analyst' && c.scopes.some((s) => s.startsWith('system/*.')),
  );
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== PATH) return false;
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      res.writeHead(404).end();
      return true;
    }
    if (req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(launcherPage(clinical));
      return true;
    }
    if (req.method !== 'POST') return false;
    const form = new URLSearchParams(await readText(req));
    const client = clinical.find((c) => c.clientId === form.get('client'));
    const patient = PATIENTS.find(([nhs]) => nhs === form.get('patient'))?.[0];
    if (!client || !patient) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Choose a client and a patient');
      return true;
    }
    const token = await accessToken(clients, client.clientId);
    const launched = await fetch(`${baseUrl}/viewer/launch`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/fhir+json',
        'NHSD-End-User-Id': form.get('userId') || '555000000001',
        'NHSD-End-User-Role': form.get('userRole') || 'R8000',
      },
      body: JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: 'patient', valueReference: { reference: `Patient/${patient}` } },
          { name: 'name', valueString: form.get('name') || 'Dr Sam Sandbox' },
        ],
      }),
    });
    const body = (await launched.json()) as { parameter?: { name: string; valueUrl?: string }[] };
    const url = body.parameter?.find((p) => p.name === 'url')?.valueUrl;
    if (!url) {
      res.writeHead(launched.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      return true;
    }
    res.writeHead(303, { Location: url, 'Cache-Control': 'no-store' }).end();
    return true;
  };
}

async function accessToken(clients: SandboxClientsFile, clientId: string): Promise<string> {
  const client = clients.clients.find((c) => c.clientId === clientId);
  if (!client) throw new Error(`No sandbox client ${clientId}`);
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({
    iss: client.clientId,
    sub: client.clientId,
    aud: clients.tokenUrl,
    jti: crypto.randomUUID(),
    exp: now + 60,
  })
    .setProtectedHeader({ alg: client.alg, kid: client.kid, typ: 'JWT' })
    .sign(await importJWK(client.privateJwk, client.alg));
  const response = await fetch(clients.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function launcherPage(clients: SandboxClientsFile['clients']): string {
  const clientOptions = clients
    .map(
      (c) =>
        `<option value="${escapeHtml(c.clientId)}">${escapeHtml(c.name)} (${escapeHtml(c.odsCode)})</option>`,
    )
    .join('');
  const patientOptions = PATIENTS.map(
    ([nhs, label]) => `<option value="${nhs}">${escapeHtml(label as string)} (${nhs})</option>`,
  ).join('');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Open the viewer: sandbox launcher</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:Arial,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem">
<h1>Open the point-of-care viewer</h1>
<p>Plays the supplier system's part: it calls <code>POST /viewer/launch</code> as the chosen client for the person
below and opens the single-use URL. Organisations with no care relationship get the break-glass page.</p>
<form method="post" action="${PATH}">
<p><label for="client">Supplier system (organisation)</label><br><select id="client" name="client">${clientOptions}</select></p>
<p><label for="patient">Patient</label><br><select id="patient" name="patient">${patientOptions}</select></p>
<p><label for="name">Person's name</label><br><input id="name" name="name" value="Dr Sam Sandbox"></p>
<p><label for="userId">SDS user id</label><br><input id="userId" name="userId" value="555000000001" inputmode="numeric"></p>
<p><label for="userRole">RBAC role code</label><br><input id="userRole" name="userRole" value="R8000"></p>
<p><button type="submit">Open the record</button></p>
</form></body></html>
`;
}
