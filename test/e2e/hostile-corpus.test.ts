import { request as httpRequest } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { ukPatient } from '../support/fixtures.ts';
import { type CorpusTargets, type HostileRequest, hostileCorpus } from '../support/hostile-corpus.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { accessToken, clientAssertion, clientFor, sandbox } from '../support/sandbox-client.ts';

/** Requests in flight at once: enough to be quick, few enough for a shared 2-core machine. */
const CONCURRENCY = 4;

interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

/** Sends one corpus request with node:http, so repeated headers go out as separate lines, as a client may. */
async function send(r: HostileRequest, token: string): Promise<Answer> {
  const base = new URL(sandbox().clients.fhirBase);
  const path = r.path.startsWith('//') ? r.path.slice(1) : `${base.pathname}${r.path}`;
  // Headers given as a raw list get none of Node's defaults: Host and Content-Length are the client's to send.
  const headers: string[] = ['Host', base.host];
  for (const [name, value] of r.headers ?? []) headers.push(name, value);
  if (r.auth !== false) headers.push('Authorization', `Bearer ${token}`);
  const body = r.body === undefined ? undefined : Buffer.from(r.body);
  if (body) headers.push('Content-Length', String(body.length));
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: base.hostname, port: base.port, method: r.method, path, headers });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Record<string, unknown> | undefined;
        try {
          parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What is wrong with an answer to a hostile request, or undefined when it is a proper refusal. */
function problemWith(r: HostileRequest, a: Answer): string | undefined {
  if (a.status >= 500) return `answered ${a.status} (a server error)`;
  if (a.status < 400) return `answered ${a.status}: it was accepted`;
  if (r.expect && !r.expect.includes(a.status)) return `answered ${a.status}, not ${r.expect.join(' or ')}`;
  if (r.oauth) return typeof a.body?.error === 'string' ? undefined : 'answered without an OAuth error body';
  if (a.body?.resourceType !== 'OperationOutcome') return `answered ${a.status} without an OperationOutcome`;
  return undefined;
}

async function inTurn<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await run(items[i] as T);
      }
    }),
  );
  return results;
}

/** Everything the API says about the canary: its joined-up record, each resource's history and versions. */
async function canaryState(canary: string, resources: string[]) {
  const everything = await fhirFetch('gp', `/Patient/${canary}/$everything`);
  expect(everything.status).toBe(200);
  const entries = (everything.body.entry as { resource: { resourceType: string; id: string } }[]) ?? [];
  const record = entries
    .map((e) => e.resource)
    .sort((a, b) => `${a.resourceType}/${a.id}`.localeCompare(`${b.resourceType}/${b.id}`));
  const histories: Record<string, unknown> = {};
  for (const reference of resources) {
    const history = await fhirFetch('gp', `/${reference}/_history`);
    expect(history.status).toBe(200);
    const versions = (history.body.entry as { resource: { meta: { versionId: string } } }[]).map(
      (e) => e.resource,
    );
    const vreads = [];
    for (const v of versions)
      vreads.push((await fhirFetch('gp', `/${reference}/_history/${v.meta.versionId}`)).body);
    histories[reference] = { versions, vreads };
  }
  return { total: everything.body.total, record, histories };
}

describe('the hostile corpus (CONTRACT §3, issue 14)', () => {
  const canary = newNhsNumber();
  let canaryFlag = '';
  let resources: string[] = [];
  let before: Awaited<ReturnType<typeof canaryState>>;
  let corpus: ReturnType<typeof hostileCorpus> = [];

  beforeAll(async () => {
    expect(
      (await fhirFetch('gp', `/Patient/${canary}`, { method: 'PUT', body: ukPatient(canary) })).status,
    ).toBe(201);
    const flag = await fhirFetch('gp', '/Flag', {
      method: 'POST',
      body: {
        resourceType: 'Flag',
        status: 'active',
        code: { text: 'Canary' },
        subject: { reference: `Patient/${canary}` },
      },
    });
    expect(flag.status).toBe(201);
    canaryFlag = flag.body.id as string;
    const updated = await fhirFetch('gp', `/Flag/${canaryFlag}`, {
      method: 'PUT',
      headers: { 'If-Match': 'W/"1"' },
      body: { ...flag.body, status: 'inactive', meta: undefined },
    });
    expect(updated.status).toBe(200);
    const condition = await fhirFetch('gp', '/Condition', {
      method: 'POST',
      body: {
        resourceType: 'Condition',
        code: { text: 'Canary condition' },
        subject: { reference: `Patient/${canary}` },
      },
    });
    expect(condition.status).toBe(201);
    resources = [`Patient/${canary}`, `Flag/${canaryFlag}`, `Condition/${condition.body.id}`];
    before = await canaryState(canary, resources);

    const gp = clientFor('gp');
    const assertion = (claims: Record<string, unknown>, options: { jti?: string } = {}) =>
      clientAssertion(gp, claims, options);
    const assertions: CorpusTargets['assertions'] = [];
    for (const length of [300, 1_500, 5_000, 20_000])
      assertions.push({
        name: `jti of ${length} characters`,
        assertion: await assertion({}, { jti: 'j'.repeat(length) }),
      });
    for (const [name, claims] of [
      ['jti a number', { jti: 12345 }],
      ['jti an object', { jti: { id: 'x' } }],
      ['jti empty', { jti: '' }],
      ['iss of 5,000 characters', { iss: 'i'.repeat(5_000) }],
      ['sub of 5,000 characters', { sub: 's'.repeat(5_000) }],
      ['aud of 5,000 characters', { aud: 'a'.repeat(5_000) }],
      ['aud an array of 1,000', { aud: Array.from({ length: 1_000 }, (_, i) => `https://x${i}.example`) }],
      ['exp a string', { exp: 'tomorrow' }],
      ['exp far in the future', { exp: 9_999_999_999_999 }],
      ['an extra claim of 20 KB', { note: 'n'.repeat(20_000) }],
      ['sub another client', { sub: clientFor('acute').clientId }],
    ] as [string, Record<string, unknown>][]) {
      assertions.push({ name, assertion: await assertion(claims) });
    }
    assertions.push({ name: 'an assertion of 100 KB', assertion: `${'a'.repeat(100_000)}.b.c` });
    assertions.push({ name: 'an assertion that is not base64url', assertion: '%%%.%%%.%%%' });

    corpus = hostileCorpus({
      canary,
      canaryFlag,
      fhirBase: sandbox().clients.fhirBase,
      freshNhs: newNhsNumber,
      assertions,
      validAssertions: [await assertion({}), await assertion({}), await assertion({}), await assertion({})],
    });
  }, 120_000);

  it('holds at least 500 requests', () => {
    const count = corpus.reduce((n, c) => n + c.requests.length, 0);
    expect(count).toBeGreaterThanOrEqual(500);
  });

  // One test per class, so a failure names the class; every request of every class runs before any assertion.
  const classNames = [
    'body bytes that are not UTF-8',
    'malformed percent-encoding in the path',
    'malformed percent-encoding in the query',
    'subject or patient on another server',
    'unresolved urn:uuid references',
    'Bundle shapes FHIR JSON forbids',
    'resource ids that are not strings',
    'JSON nested too deep',
    'strings too long to store',
    'singleton headers sent twice',
    'audit trail searched without a patient',
    'client assertions with unbounded claims',
    'invalid NHS numbers',
    'malformed or non-FHIR JSON',
    'path ids that are not FHIR ids',
    'bodies that are not FHIR JSON',
    'searches the contract refuses',
    'interactions the contract refuses',
  ];

  it('names every class it generates', () => {
    expect(corpus.map((c) => c.name).sort()).toEqual([...classNames].sort());
  });

  it.each(classNames)(
    'answers every request of "%s" with a 4xx refusal',
    { timeout: 300_000 },
    async (name) => {
      const requests = corpus.find((c) => c.name === name)?.requests ?? [];
      expect(requests.length).toBeGreaterThan(0);
      const token = await accessToken('gp');
      const answers = await inTurn(requests, (r) => send(r, token));
      const problems = requests
        .map((r, i) => [r.name, problemWith(r, answers[i] as Answer)] as const)
        .filter(([, problem]) => problem !== undefined)
        .map(([request, problem]) => `${request}: ${problem}`);
      expect(problems).toEqual([]);
    },
  );

  it('answers a transaction of reads only as FHIR says: each read in a transaction-response', async () => {
    const answer = await fhirFetch('gp', '', {
      method: 'POST',
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { request: { method: 'GET', url: `Patient/${canary}` } },
          { request: { method: 'GET', url: `Flag/${canaryFlag}/_history/1` } },
        ],
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.type).toBe('transaction-response');
    const entries = answer.body.entry as { response: { status: string }; resource: { id: string } }[];
    expect(entries.map((e) => [e.response.status, e.resource.id])).toEqual([
      ['200', canary],
      ['200', canaryFlag],
    ]);
  });

  it('leaves the canary patient exactly as it was: record, history and every version', async () => {
    expect(await canaryState(canary, resources)).toEqual(before);
  }, 120_000);
});
