import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LocalEventBus } from '#local/event-bus';
import { createGateway } from '#local/gateway';
import { isLoopbackAddress } from '#local/loopback';
import { sandboxControl } from '#local/sandbox-control';
import type { StreamPoller } from '#local/stream-poller';
import { ukPatient } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { clientFor, sandbox } from '../support/sandbox-client.ts';

const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

async function registeredPatient(): Promise<string> {
  const nhs = newNhsNumber();
  const created = await fhirFetch('gp', `/Patient/${nhs}`, { method: 'PUT', body: ukPatient(nhs) });
  expect(created.status).toBe(201);
  return nhs;
}

/** This machine's first non-loopback IPv4 address, if it has one. */
function externalAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

/** The local addresses of the TCP sockets listening on `port` (Linux's /proc/net tables). */
function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue; // 0A: LISTEN
      const [hex, portHex] = local.split(':') as [string, string];
      if (Number.parseInt(portHex, 16) === port) found.push(hex);
    }
  }
  return found;
}

// 127.0.0.1 as /proc/net/tcp writes it, and ::1 and ::ffff:127.0.0.1 as /proc/net/tcp6 does.
const LOOPBACK_HEX = ['0100007F', '00000000000000000000000001000000', '0000000000000000FFFF00000100007F'];

describe('CONTRACT §2: a 401 says how to authenticate', () => {
  it('answers a request without a token 401 with WWW-Authenticate: Bearer', async () => {
    const nhs = newNhsNumber();
    const response = await fetch(`${sandbox().clients.fhirBase}/Patient/${nhs}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(((await response.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });

  it('answers a request with a token that is not valid 401 with WWW-Authenticate: Bearer error="invalid_token"', async () => {
    const nhs = newNhsNumber();
    const response = await fetch(`${sandbox().clients.fhirBase}/Patient/${nhs}`, {
      headers: { Authorization: 'Bearer not-a-token' },
    });
    expect(response.status).toBe(401);
    // RFC 6750 §3.1, as CONTRACT §2 says: a token was sent, so the challenge names why it failed.
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b.*error="invalid_token"/);
  });

  it('leaves the error out when no token was sent', async () => {
    const response = await fetch(`${sandbox().clients.fhirBase}/Patient/${newNhsNumber()}`);
    expect(response.headers.get('www-authenticate')).not.toContain('error=');
  });
});

describe('patient data is never cached', () => {
  it('answers reads, searches, $everything and their refusals with Cache-Control: no-store', async () => {
    const nhs = await registeredPatient();
    const answers = await Promise.all([
      fhirFetch('gp', `/Patient/${nhs}`),
      fhirFetch('gp', `/Observation?patient=Patient/${nhs}`),
      fhirFetch('gp', `/Patient/${nhs}/$everything`),
      fhirFetch('gp', `/Patient/${nhs}/_history`),
      fhirFetch('gp', `/Subscription`),
      fhirFetch('gp', `/Binary/${crypto.randomUUID()}`),
      fhirFetch('acute', `/Patient/${nhs}`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 404, 403]);
    for (const answer of answers) expect(answer.headers.get('cache-control')).toBe('no-store');
  });
});

describe('CONTRACT §3: the contributor tag is the server’s alone', () => {
  it('drops a look-alike ODS tag (other case, trailing slash) and keeps only the server’s', async () => {
    const nhs = await registeredPatient();
    const lookAlikes = [
      { system: `${ODS_SYSTEM}/`, code: 'X99999' },
      { system: ODS_SYSTEM.toUpperCase(), code: 'X99998' },
      { system: ODS_SYSTEM.replace('https://', 'HTTPS://'), code: 'X99997' },
    ];
    const other = { system: 'https://example.org/tags', code: 'kept' };
    const created = await fhirFetch('gp', '/Flag', {
      method: 'POST',
      body: {
        resourceType: 'Flag',
        meta: { tag: [...lookAlikes, other] },
        status: 'active',
        code: { text: 'Look-alike tag check' },
        subject: { reference: `Patient/${nhs}` },
      },
    });
    expect(created.status).toBe(201);
    const read = await fhirFetch('gp', `/Flag/${created.body.id}`);
    const tags = (read.body.meta as { tag: { system: string; code: string }[] }).tag;
    expect(tags).toEqual([other, { system: ODS_SYSTEM, code: clientFor('gp').odsCode }]);
  });
});

describe('CONTRACT §1: the sandbox listens on loopback only', () => {
  const info = () =>
    JSON.parse(readFileSync(join(sandbox().dir, 'sandbox.json'), 'utf8')) as Record<string, string>;

  it.runIf(process.platform === 'linux')(
    'binds the gateway, DynamoDB Local, the S3 server and the SQS and EventBridge endpoints to loopback',
    () => {
      const endpoints = ['url', 'dynamodbEndpoint', 's3Endpoint', 'sqsEndpoint', 'eventBridgeEndpoint'];
      for (const name of endpoints) {
        const value = info()[name];
        expect(value, `${name} in sandbox.json`).toBeTypeOf('string');
        const addresses = listeningAddresses(Number(new URL(value as string).port));
        expect(addresses.length, `${name} is listening`).toBeGreaterThan(0);
        for (const address of addresses)
          expect(LOOPBACK_HEX, `${name} bound to ${address}`).toContain(address);
      }
    },
  );

  it.runIf(externalAddress() !== undefined)(
    'refuses connections to the gateway on the machine’s other addresses',
    async () => {
      const port = Number(new URL(sandbox().url).port);
      const outcome = await new Promise<string>((resolve) => {
        const req = httpRequest({ host: externalAddress(), port, path: '/_health', timeout: 10_000 });
        req.on('response', (res) => {
          res.resume();
          resolve(`answered ${res.statusCode}`);
        });
        req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
        req.end();
      });
      expect(outcome).toBe('ECONNREFUSED');
    },
  );

  it.runIf(externalAddress() !== undefined)(
    'refuses a control request from another address even when the gateway listens on every interface',
    async () => {
      const bus = { published: [], deadLetters: [], failPublishing: false, failEveryNth: 0 };
      const gateway = createGateway({
        localRoutes: [
          sandboxControl(bus as unknown as LocalEventBus, { failedBatches: [] } as unknown as StreamPoller),
        ],
      });
      await new Promise<void>((r) => gateway.listen(0, '0.0.0.0', () => r()));
      try {
        const { port } = gateway.address() as { port: number };
        const faults = (host: string) =>
          fetch(`http://${host}:${port}/_sandbox/faults`, {
            method: 'POST',
            body: JSON.stringify({ eventBridge: 'fail' }),
          });
        const fromOutside = await faults(externalAddress() as string);
        expect(fromOutside.status).toBe(403);
        expect(bus.failPublishing).toBe(false);
        expect((await fetch(`http://${externalAddress()}:${port}/_sandbox/events`)).status).toBe(403);
        // The same request from this machine is served: the refusal is about the address, not the request.
        expect((await faults('127.0.0.1')).status).toBe(200);
        expect(bus.failPublishing).toBe(true);
      } finally {
        await new Promise<void>((r) => gateway.close(() => r()));
      }
    },
  );

  it('takes only loopback clients for the control endpoints', () => {
    expect(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'].map(isLoopbackAddress)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(
      ['192.0.2.2', '10.0.0.1', '::ffff:192.0.2.2', 'fe80::1', '128.0.0.1', '', undefined].map(
        isLoopbackAddress,
      ),
    ).toEqual([false, false, false, false, false, false, false]);
  });
});
