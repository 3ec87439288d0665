import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#shared/aws/clients';
import { createJob, failJob, startJob } from '#shared/export/export-job-store';
import { addToOptOutRegister } from '#shared/export/opt-out-store';
import { openCareContext } from '../support/care-contexts.ts';
import { eventually } from '../support/eventually.ts';
import { officialExample } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { carer } from '../support/national-services.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { registerPatient } from '../support/registration.ts';
import { accessToken, sandbox } from '../support/sandbox-client.ts';
import { rememberPatientDetail } from '../support/test-patients.ts';

type Json = Record<string, unknown>;
type Manifest = {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count?: number }[];
  error: unknown[];
  extension?: Record<string, unknown>;
};

const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const OPTED_OUT_EXTENSION = 'https://shared-care-record.org/fhir/bulk-export/optedOutPatients';

/**
 * The pseudonym the Bulk Data export gives an NHS number, worked here from its definition (CONTRACT §8, issue
 * 19): lowercase hex HMAC-SHA256 of the ten digits under the deployment's key (the sandbox keeps its key under
 * its folder), so the test finds its own patients among the others in the files.
 */
function pseudonymOf(nhs: string): string {
  const key = Buffer.from(readFileSync(join(sandbox().dir, 'pseudonym-key'), 'utf8').trim(), 'base64url');
  return createHmac('sha256', key).update(nhs).digest('hex');
}

/** A kick-off as the analyst (or `role`), with `Prefer: respond-async` unless `headers` says otherwise. */
async function kickOff(path: string, { role = 'analyst', headers = {} } = {}) {
  return fetch(`${sandbox().clients.fhirBase}${path}`, {
    headers: {
      Authorization: `Bearer ${await accessToken(role as 'analyst')}`,
      Accept: 'application/fhir+json',
      Prefer: 'respond-async',
      ...headers,
    },
  });
}

async function status(url: string, method = 'GET') {
  return fetch(url, { method, headers: { Authorization: `Bearer ${await accessToken('analyst')}` } });
}

/** Polls the status URL until the export completes: every 202 on the way says how far it got. */
async function manifestOf(statusUrl: string): Promise<Manifest> {
  const done = await eventually(
    async () => {
      const response = await status(statusUrl);
      if (response.status === 202) {
        expect(response.headers.get('x-progress')).toBeTruthy();
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      return { status: response.status, body: response.status === 202 ? '' : await response.text() };
    },
    (r) => r.status !== 202,
  );
  expect(done.status, done.body).toBe(200);
  return JSON.parse(done.body) as Manifest;
}

type Line = { type: string; url: string; line: string; resource: Json };

/** Every line of every file of the manifest, fetched through its URL as an analyst's tool would. */
async function downloaded(manifest: Manifest): Promise<Line[]> {
  const lines: Line[] = [];
  for (const { type, url } of manifest.output) {
    const response = await fetch(url);
    expect(response.status, url).toBe(200);
    for (const line of (await response.text()).split('\n').filter(Boolean)) {
      lines.push({ type, url, line, resource: JSON.parse(line) as Json });
    }
  }
  return lines;
}

async function exported(path: string, headers: Record<string, string> = {}) {
  const response = await kickOff(path, { headers });
  expect(response.status, await response.clone().text()).toBe(202);
  const statusUrl = response.headers.get('content-location') as string;
  const manifest = await manifestOf(statusUrl);
  return { statusUrl, manifest, lines: await downloaded(manifest) };
}

async function create(role: 'gp' | 'acute', body: Json): Promise<string> {
  return (await created(role, body)).id as string;
}

async function created(role: 'gp' | 'acute', body: Json): Promise<Json> {
  const response = await fhirFetch(role, `/${body.resourceType}`, { method: 'POST', body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

const labelled = (code: 'R' | 'V') => ({ security: [{ system: CONFIDENTIALITY, code }] });

describe('Bulk Data export (CONTRACT §8, issue 19)', () => {
  // Names and an address no other test uses, so finding them anywhere in a file means they leaked.
  const family = `Exportfamily${Math.random().toString(36).slice(2, 8)}`;
  const street = `${Math.floor(Math.random() * 900) + 100} Pseudonym Lane`;
  const included = newNhsNumber();
  const optedOut = newNhsNumber();
  const ids: Record<string, string> = {};
  let since = '';

  beforeAll(async () => {
    rememberPatientDetail(family, street);
    const personal = {
      name: [{ use: 'official', family, given: ['Alexis'] }],
      address: [{ line: [street], city: 'Northbridge', postalCode: 'NB1 9ZZ' }],
      telecom: [{ system: 'phone', value: '07700 900456' }],
      birthDate: '1961-07-23',
    };
    await registerPatient(included, { extra: personal });
    await registerPatient(optedOut, { extra: personal });
    await addToOptOutRegister([optedOut]);
    await openCareContext('acute', included);
    const condition = (nhs: string, extra: Json = {}) => ({
      ...officialExample('condition-example.json'),
      id: undefined,
      subject: { reference: `Patient/${nhs}` },
      ...extra,
    });
    ids.condition = await create('gp', condition(included));
    ids.restricted = await create('gp', condition(included, { meta: labelled('R') }));
    ids.veryRestricted = await create('acute', {
      ...officialExample('observation-example.json'),
      id: undefined,
      subject: { reference: `Patient/${included}` },
      meta: labelled('V'),
    });
    ids.carer = await create('gp', carer(included));
    const last = await created('gp', condition(optedOut));
    ids.optedOutCondition = last.id as string;
    // The _since test's dividing line: what changed after the last write above.
    since = (last.meta as Json).lastUpdated as string;
    ids.later = await create('gp', condition(included, { recordedDate: '2026-01-02' }));
  });

  it('answers a kick-off 202 with the status URL, then 200 with a Bulk Data manifest of NDJSON files', async () => {
    const { statusUrl, manifest, lines } = await exported(
      '/$export?_type=Patient,Condition,Observation,RelatedPerson',
    );

    expect(statusUrl).toMatch(
      new RegExp(`^${sandbox().clients.fhirBase.replace(/[$.]/g, '\\$&')}/\\$export-status/[A-Za-z0-9-]+$`),
    );
    expect(manifest.request).toBe(
      `${sandbox().clients.fhirBase}/$export?_type=Patient,Condition,Observation,RelatedPerson`,
    );
    expect(Number.isNaN(Date.parse(manifest.transactionTime))).toBe(false);
    expect(manifest.requiresAccessToken).toBe(false);
    expect(manifest.error).toEqual([]);
    expect(new Set(manifest.output.map((o) => o.type))).toEqual(
      new Set(['Patient', 'Condition', 'Observation', 'RelatedPerson']),
    );
    for (const file of manifest.output) {
      expect(lines.filter((l) => l.url === file.url)).toHaveLength(file.count as number);
    }
    for (const { type, resource } of lines) expect(resource.resourceType).toBe(type);
  });

  it('pseudonymises: the patient is found by pseudonym, with no NHS number, name, address or telecom in any file', async () => {
    // Every type, so no file of the export is left unread.
    const { lines } = await exported('/$export');
    const pseudonym = pseudonymOf(included);

    const patient = lines.find((l) => l.type === 'Patient' && l.resource.id === pseudonym)?.resource;
    expect(patient).toBeDefined();
    expect(patient?.birthDate).toBe('1961-07');
    expect(patient?.name).toBeUndefined();
    expect(patient?.address).toBeUndefined();
    expect(patient?.telecom).toBeUndefined();
    const condition = lines.find((l) => l.resource.id === ids.condition)?.resource;
    expect(condition?.subject).toEqual({ reference: `Patient/${pseudonym}` });
    const relatedPerson = lines.find((l) => l.resource.id === ids.carer)?.resource;
    expect(relatedPerson?.patient).toEqual({ reference: `Patient/${pseudonym}` });
    expect(relatedPerson?.name).toBeUndefined();
    expect(relatedPerson?.telecom).toBeUndefined();
    for (const { line } of lines) {
      for (const detail of [included, optedOut, family, street, '07700 900456', 'NB1 9ZZ']) {
        expect(line).not.toContain(detail);
      }
    }
  });

  it('leaves out an opted-out patient entirely, and counts the patients left out in the manifest', async () => {
    const { manifest, lines } = await exported('/$export?_type=Patient,Condition');
    const pseudonym = pseudonymOf(optedOut);

    expect(lines.some((l) => l.line.includes(pseudonym))).toBe(false);
    expect(lines.some((l) => l.resource.id === ids.optedOutCondition)).toBe(false);
    expect(lines.some((l) => l.resource.id === pseudonymOf(included))).toBe(true);
    expect(manifest.extension?.[OPTED_OUT_EXTENSION]).toBeGreaterThanOrEqual(1);
  });

  it("reads a record larger than one call's pages across several calls, losing nothing", async () => {
    // The sandbox's Scan pages hold 5 items (EXPORT_SCAN_PAGE_ITEMS) and a call reads 8 pages: one record of
    // 45 Conditions, all in one partition and so one segment, takes at least two calls, each writing its file.
    const nhs = newNhsNumber();
    await registerPatient(nhs);
    const entries = Array.from({ length: 45 }, (_, i) => ({
      request: { method: 'POST', url: 'Condition' },
      resource: {
        ...officialExample('condition-example.json'),
        id: undefined,
        subject: { reference: `Patient/${nhs}` },
        recordedDate: `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
      },
    }));
    const bundle = await fhirFetch('gp', '', {
      method: 'POST',
      body: { resourceType: 'Bundle', type: 'transaction', entry: entries },
    });
    expect(bundle.status, JSON.stringify(bundle.body)).toBe(200);
    const created = (bundle.body.entry as { response: { location: string } }[]).map(
      (e) => /Condition\/([^/]+)/.exec(e.response.location)?.[1],
    );

    const { lines } = await exported('/$export?_type=Condition');

    const mine = lines.filter((l) => created.includes(l.resource.id as string));
    expect(mine).toHaveLength(45);
    expect(new Set(mine.map((l) => l.url)).size).toBeGreaterThanOrEqual(2);
  });

  it('never exports a restricted or very restricted resource', async () => {
    const { lines } = await exported('/$export?_type=Condition,Observation');

    expect(lines.some((l) => l.resource.id === ids.condition)).toBe(true);
    expect(lines.some((l) => l.resource.id === ids.restricted)).toBe(false);
    expect(lines.some((l) => l.resource.id === ids.veryRestricted)).toBe(false);
  });

  it('exports only the types _type names, changed since _since', async () => {
    const { manifest, lines } = await exported(`/Patient/$export?_type=Condition&_since=${since}`);

    expect(manifest.output.every((o) => o.type === 'Condition')).toBe(true);
    expect(lines.some((l) => l.resource.id === ids.later)).toBe(true);
    expect(lines.some((l) => l.resource.id === ids.condition)).toBe(false);
  });

  it('cancels on DELETE: 202, then the status URL is 404 and the files are gone', async () => {
    const response = await kickOff('/$export');
    expect(response.status).toBe(202);
    const statusUrl = response.headers.get('content-location') as string;
    const exportId = statusUrl.split('/').at(-1) as string;

    expect((await status(statusUrl, 'DELETE')).status).toBe(202);
    const after = await status(statusUrl);
    expect(after.status).toBe(404);
    expect(((await after.json()) as Json).resourceType).toBe('OperationOutcome');
    const s3 = new S3Client({ forcePathStyle: true });
    await eventually(
      () => s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: `exports/${exportId}/` })),
      (listing) => (listing.KeyCount ?? 0) === 0,
    );
  });

  it.each([
    ['no Prefer: respond-async', '/$export', { Prefer: '' }],
    ['a type the server does not serve', '/$export?_type=Condition,Spaceship', {}],
    ['an output format other than NDJSON', '/$export?_outputFormat=text/csv', {}],
    ['a _since that is not an instant', '/$export?_since=yesterday', {}],
    ['an unknown parameter', '/$export?_elements=id', {}],
    ['_typeFilter, which is not supported', '/$export?_typeFilter=Condition%3Fcode%3D1234', {}],
    ['_identified=true without a purpose', '/$export?_identified=true', {}],
    ['break-glass', '/$export', { 'NHSD-Purpose-Of-Use': 'ETREAT', 'NHSD-Break-Glass-Reason': 'curious' }],
    [
      '_identified=true for a purpose the deployment has not listed',
      '/$export?_identified=true&purpose=curiosity',
      {},
    ],
  ])('refuses a kick-off with %s: 400 OperationOutcome', async (_, path, headers) => {
    const response = await kickOff(path, { headers });

    expect(response.status).toBe(400);
    expect(((await response.json()) as Json).resourceType).toBe('OperationOutcome');
  });

  it('lets only an analyst export (403 for a GP system), and an analyst do nothing else (403 on a read)', async () => {
    const byGp = await kickOff('/$export', { role: 'gp' });
    expect(byGp.status).toBe(403);
    expect(((await byGp.json()) as Json).resourceType).toBe('OperationOutcome');

    const read = await fhirFetch('analyst', `/Patient/${included}`);
    expect(read.status).toBe(403);
    expect(read.body.resourceType).toBe('OperationOutcome');
    const search = await fhirFetch('analyst', `/Condition?patient=Patient/${included}`);
    expect(search.status).toBe(403);
    for (const [method, path] of [
      ['GET', '/Subscription'],
      ['POST', '/Binary/$upload-url'],
      ['POST', ''],
      ['GET', `/Patient/${included}/$everything`],
    ]) {
      const other = await fhirFetch('analyst', path as string, {
        method,
        ...(method === 'POST' ? { body: { resourceType: 'Bundle', type: 'batch', entry: [] } } : {}),
      });
      expect(other.status, `${method} ${path}`).toBe(403);
    }
  });

  it("exports a group (a practice's registered list): only the patients registered there", async () => {
    const elsewhere = newNhsNumber();
    await registerPatient(elsewhere, { as: 'gp-other', practice: 'A81002' });

    const { lines } = await exported('/Group/A81002/$export?_type=Patient');

    expect(lines.some((l) => l.resource.id === pseudonymOf(elsewhere))).toBe(true);
    expect(lines.some((l) => l.resource.id === pseudonymOf(included))).toBe(false);
    expect(
      lines.every((l) => (l.resource.generalPractitioner as Json[])[0]?.reference === 'Organization/A81002'),
    ).toBe(true);
  });

  it('audits each export: who, what was asked, and how many patients and resources went out and were left out', async () => {
    const { statusUrl, manifest } = await exported('/$export?_type=Patient,Condition', {
      'NHSD-End-User-Id': '555021935107',
      'NHSD-End-User-Role': 'R8000',
    });
    const audit = await auditOf(statusUrl);
    const entity = audit.entity?.[0] as Json;

    expect(audit.agent).toContainEqual(
      expect.objectContaining({
        who: {
          identifier: {
            system: 'https://shared-care-record.org/fhir/Id/client-id',
            value: clientIdOf('analyst'),
          },
        },
      }),
    );
    expect(audit.agent).toContainEqual(
      expect.objectContaining({
        who: { identifier: { system: 'https://fhir.nhs.uk/Id/sds-user-id', value: '555021935107' } },
        requestor: true,
      }),
    );
    const detail = Object.fromEntries(
      (entity.detail as { type: string; valueString: string }[]).map((d) => [d.type, Number(d.valueString)]),
    );

    expect(Buffer.from(entity.query as string, 'base64').toString()).toBe(manifest.request);
    expect(detail['opted-out-patients-left-out']).toBe(manifest.extension?.[OPTED_OUT_EXTENSION]);
    const count = (type: string) =>
      manifest.output.filter((o) => o.type === type).reduce((n, o) => n + (o.count ?? 0), 0);
    expect(detail['resources:Condition']).toBe(count('Condition'));
    expect(detail.patients).toBe(count('Patient'));
  });

  it('sends NHS numbers only in an identified export for a listed purpose, audited apart', async () => {
    const { statusUrl, lines } = await exported(
      '/$export?_type=Patient&_identified=true&purpose=screening-invitations',
    );

    expect(lines.some((l) => l.resource.id === included)).toBe(true);
    expect(lines.some((l) => l.resource.id === optedOut)).toBe(false);
    const audit = await auditOf(statusUrl);
    expect(audit.subtype).toContainEqual(expect.objectContaining({ code: 'bulk-export-identified' }));
  });

  it("answers a running export 202 with X-Progress and Retry-After, a failed one 500, another client's 404", async () => {
    const job = async (clientId = clientIdOf('analyst')) => {
      const exportId = crypto.randomUUID();
      await createJob({
        exportId,
        status: 'accepted',
        request: { level: 'system', types: ['Patient'], url: 'test' },
        clientId,
        odsCode: 'QNB01',
        createdAt: new Date().toISOString(),
      });
      await startJob(exportId, 16, new Date().toISOString());
      return { exportId, url: `${sandbox().clients.fhirBase}/$export-status/${exportId}` };
    };
    const running = await job();
    const failed = await job();
    const anothers = await job('another-analyst-system');
    await failJob(failed.exportId, 'Error');

    const progress = await status(running.url);
    const failure = await status(failed.url);
    const notYours = await status(anothers.url);

    expect(progress.status).toBe(202);
    expect(progress.headers.get('x-progress')).toBe('0 of 16 segments scanned');
    expect(progress.headers.get('retry-after')).toBe('5');
    expect(failure.status).toBe(500);
    expect(((await failure.json()) as Json).resourceType).toBe('OperationOutcome');
    expect(notYours.status).toBe(404);
    expect((await status(anothers.url, 'DELETE')).status).toBe(404);
  });

  it('lists the export operations in the CapabilityStatement', async () => {
    const statement = (await (await fetch(`${sandbox().clients.fhirBase}/metadata`)).json()) as {
      rest: { operation?: Json[]; resource: { type: string; operation?: Json[] }[] }[];
    };
    const rest = statement.rest[0];
    const operationsOf = (type: string) => rest?.resource.find((r) => r.type === type)?.operation ?? [];

    expect(rest?.operation).toContainEqual(expect.objectContaining({ name: 'export' }));
    expect(operationsOf('Patient')).toContainEqual(
      expect.objectContaining({
        name: 'export',
        definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export',
      }),
    );
    expect(operationsOf('Group')).toContainEqual(expect.objectContaining({ name: 'export' }));
  });

  it('answers 404 for an export that does not exist', async () => {
    const response = await status(`${sandbox().clients.fhirBase}/$export-status/not-an-export`);

    expect(response.status).toBe(404);
  });
});

/** The export's AuditEvent, as the table keeps it beside the job. */
async function auditOf(statusUrl: string): Promise<{ entity?: Json[]; subtype?: Json[]; agent?: Json[] }> {
  const exportId = statusUrl.split('/').at(-1) as string;
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: process.env.TABLE_NAME,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :journal)',
      ExpressionAttributeValues: { ':pk': `EXPORT#${exportId}`, ':journal': '_journal#' },
    }),
  );
  expect(Items).toHaveLength(1);
  return JSON.parse(Items[0]?.auditEvent as string);
}

function clientIdOf(role: 'analyst'): string {
  return sandbox().clients.clients.find((c) => c.role === role)?.clientId as string;
}

function bucket(): string {
  return JSON.parse(readFileSync(join(sandbox().dir, 'sandbox.json'), 'utf8')).bucketName as string;
}
