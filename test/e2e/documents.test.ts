import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient, tableName } from '#shared/aws/clients';
import { s3Sdk } from '#shared/aws/s3';
import {
  DOWNLOAD_URL_SECONDS,
  MAX_INLINE_DOCUMENT_BYTES,
  UPLOAD_URL_SECONDS,
} from '#shared/documents/document-limits';
import { auditEventOf } from '#shared/record/journal-entry';
import { patientPartition } from '#shared/service/table-design';
import { openCareContext } from '../support/care-contexts.ts';
import { linuxExecutable, minimalPdf, sha1Base64, windowsExecutable } from '../support/documents.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { registerPatient } from '../support/registration.ts';
import { accessToken, sandbox } from '../support/sandbox-client.ts';

type Role = Parameters<typeof fhirFetch>[0];
type Attachment = {
  contentType?: string;
  size?: number;
  hash?: string;
  url?: string;
  data?: string;
  title?: string;
};
type DocumentReference = Record<string, unknown> & { id?: string; content: { attachment: Attachment }[] };

const bucket = () =>
  (JSON.parse(readFileSync(join(sandbox().dir, 'sandbox.json'), 'utf8')) as { bucketName?: string })
    .bucketName ?? 'shared-care-record-documents';

const DISCHARGE_SUMMARY = {
  system: 'http://snomed.info/sct',
  code: '373942005',
  display: 'Discharge summary',
};
const CLINIC_LETTER = {
  system: 'http://snomed.info/sct',
  code: '371531000',
  display: 'Report of clinical encounter',
};
const CARE_SETTING = { system: 'http://snomed.info/sct', code: '892931000000107', display: 'Inpatient care' };

async function registeredPatient(): Promise<string> {
  const nhs = newNhsNumber();
  await registerPatient(nhs);
  // The hospital's outpatient attendance: the relationship its documents are contributed under.
  await openCareContext('acute', nhs);
  return nhs;
}

function documentReference(
  nhs: string,
  attachment: Attachment,
  extra: Record<string, unknown> = {},
): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    type: { coding: [DISCHARGE_SUMMARY] },
    category: [{ coding: [CARE_SETTING] }],
    subject: { reference: `Patient/${nhs}` },
    date: '2026-11-20T10:00:00Z',
    content: [{ attachment }],
    ...extra,
  };
}

const inline = (bytes: Buffer, contentType = 'application/pdf'): Attachment => ({
  contentType,
  size: bytes.length,
  hash: sha1Base64(bytes),
  data: bytes.toString('base64'),
  title: 'Discharge summary',
});

/** GET /Binary/{id} without following the redirect. */
async function binary(role: Role, url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${await accessToken(role)}`, ...headers },
    redirect: 'manual',
  });
  const text = await response.text();
  return {
    status: response.status,
    location: response.headers.get('location'),
    body: text ? JSON.parse(text) : {},
  };
}

/** Follows a download: the Binary's redirect, then the presigned GET to S3. */
async function download(
  role: Role,
  url: string,
): Promise<{ bytes: Buffer; contentType: string | null; cacheControl: string | null; location: URL }> {
  const { status, location } = await binary(role, url);
  expect(status).toBe(302);
  const response = await fetch(location as string);
  expect(response.status).toBe(200);
  return {
    bytes: Buffer.from(await response.arrayBuffer()),
    contentType: response.headers.get('content-type'),
    cacheControl: response.headers.get('cache-control'),
    location: new URL(location as string),
  };
}

async function uploadUrl(contentType: string, size: number, hash: string) {
  const answer = await fhirFetch('acute', '/Binary/$upload-url', {
    method: 'POST',
    body: {
      resourceType: 'Parameters',
      parameter: [
        { name: 'contentType', valueCode: contentType },
        { name: 'size', valueInteger: size },
        { name: 'hash', valueBase64Binary: hash },
      ],
    },
  });
  const parameter = (answer.body.parameter ?? []) as {
    name: string;
    valueUrl?: string;
    valueString?: string;
    valueReference?: { reference: string };
  }[];
  return {
    status: answer.status,
    body: answer.body,
    url: parameter.find((p) => p.name === 'url')?.valueUrl as string,
    binary: parameter.find((p) => p.name === 'binary')?.valueReference?.reference as string,
    headers: Object.fromEntries(
      parameter
        .filter((p) => p.name === 'header')
        .map((p) => (p.valueString as string).split(/:\s*/, 2) as [string, string]),
    ),
  };
}

async function bucketKeys(): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const { s3 } = await s3Sdk();
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket(), ContinuationToken }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key as string));
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return keys.sort();
}

/** The DocumentReferences in a patient's record, as the table holds them (deleted ones included). */
async function documentsInRecord(nhs: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': patientPartition(nhs), ':prefix': 'DocumentReference#' },
    }),
  );
  return Items;
}

/** The Binary pointers into one patient's record, read through every page of a Scan (pointers live in their own partitions). */
async function binaryPointers(nhs: string): Promise<string[]> {
  const keys: string[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'begins_with(PK, :binary) AND SK = :pointer AND #partition = :partition',
        ExpressionAttributeNames: { '#partition': 'partition' },
        ExpressionAttributeValues: {
          ':binary': 'BINARY#',
          ':pointer': 'pointer',
          ':partition': patientPartition(nhs),
        },
        ExclusiveStartKey,
      }),
    );
    keys.push(...(page.Items ?? []).map((i) => `${i.PK}|${i.SK}`));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return keys.sort();
}

/** The bucket's objects holding exactly these bytes (S3's ETag of a single-part object is the MD5 of its bytes). */
async function objectsHolding(bytes: Buffer[]): Promise<string[]> {
  const md5s = new Set(bytes.map((b) => `"${createHash('md5').update(b).digest('hex')}"`));
  const found: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const { s3 } = await s3Sdk();
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket(), ContinuationToken }));
    for (const o of page.Contents ?? []) if (md5s.has(o.ETag ?? '')) found.push(o.Key as string);
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return found;
}

/** Whatever the table keeps of a Binary (its pointer, or the upload waiting for it). */
async function binaryItems(reference: string): Promise<unknown[]> {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `BINARY#${reference.split('/')[1]}` },
    }),
  );
  return Items;
}

/** The AuditEvents of a patient's record, from its journal. */
async function auditTrail(nhs: string): Promise<
  {
    outcome?: string;
    agent: { who?: { identifier?: { value?: string } } }[];
    entity?: { what?: { reference?: string } }[];
  }[]
> {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': patientPartition(nhs), ':prefix': '_journal#' },
    }),
  );
  return Items.map(auditEventOf);
}

/**
 * Runs a refused request and checks it left nothing: no object in the bucket holding the bytes it sent (each
 * test sends bytes of its own), none under the Binary ids it was given, no Binary pointer into the patient's
 * record and no DocumentReference in it. Only what this request could have left is looked at, so tests running
 * beside it cannot change the answer.
 */
async function leavesNothing(
  nhs: string,
  sent: Buffer[],
  refused: () => Promise<void>,
  binaries: string[] = [],
): Promise<void> {
  await refused();
  expect(await objectsHolding(sent)).toEqual([]);
  const ids = binaries.map((b) => b.split('/')[1] ?? '?');
  expect((await bucketKeys()).filter((key) => ids.some((id) => key.endsWith(`/${id}`)))).toEqual([]);
  expect(await binaryPointers(nhs)).toEqual([]);
  expect(await documentsInRecord(nhs)).toEqual([]);
}

/** PDF bytes no other test sends. */
const uniquePdf = (text: string, paddingBytes = 0) =>
  minimalPdf(`${text} ${crypto.randomUUID()}`, paddingBytes);

const expiresIn = (url: URL | string) => Number(new URL(url).searchParams.get('X-Amz-Expires'));

describe('stored documents, inline', () => {
  let nhs: string;
  beforeAll(async () => {
    nhs = await registeredPatient();
  });

  it('stores an inline PDF in S3, answers with its Binary url and no data, and serves it back byte for byte', async () => {
    const pdf = minimalPdf('Discharge summary: inline');
    const created = await fhirFetch('acute', '/DocumentReference', {
      method: 'POST',
      body: documentReference(nhs, inline(pdf)),
    });
    expect(created.status).toBe(201);
    const [{ attachment }] = (created.body as DocumentReference).content as [{ attachment: Attachment }];
    expect(attachment.data).toBeUndefined();
    expect(attachment).toMatchObject({
      contentType: 'application/pdf',
      size: pdf.length,
      hash: sha1Base64(pdf),
    });
    expect(attachment.url).toMatch(new RegExp(`^${sandbox().clients.fhirBase}/Binary/[0-9a-f-]{36}$`));

    const read = await fhirFetch('acute', `/DocumentReference/${created.body.id}`);
    expect((read.body as DocumentReference).content[0]?.attachment).toEqual(attachment);

    const { bytes, contentType, cacheControl, location } = await download('acute', attachment.url as string);
    expect(bytes.equals(pdf)).toBe(true);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.subarray(-6).toString()).toBe('%%EOF\n');
    expect(contentType).toBe('application/pdf');
    expect(cacheControl).toBe('private, no-store');
    // The object's key is the Binary's random id: nothing of the patient.
    const binaryId = (attachment.url as string).split('/').pop();
    expect(location.pathname).toBe(`/${bucket()}/documents/${binaryId}`);
    expect(location.pathname).not.toContain(nhs);
  });

  it('lets the registered practice download it too, with a URL signed to expire within 5 minutes', async () => {
    const pdf = minimalPdf('For the GP');
    const created = await fhirFetch('acute', '/DocumentReference', {
      method: 'POST',
      body: documentReference(nhs, inline(pdf)),
    });
    const url = (created.body as DocumentReference).content[0]?.attachment.url as string;
    const { status, location } = await binary('gp', url);
    expect(status).toBe(302);
    expect(expiresIn(location as string)).toBeGreaterThan(0);
    expect(expiresIn(location as string)).toBeLessThanOrEqual(300);
    expect(expiresIn(location as string)).toBe(DOWNLOAD_URL_SECONDS);
    expect(new URL(location as string).searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stores plain text, PNG and CDA documents whose bytes are what they are declared', async () => {
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f20000000049454e44ae426082',
      'hex',
    );
    const cda = Buffer.from(
      '<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Summary</title></ClinicalDocument>\n',
    );
    for (const [bytes, type] of [
      [Buffer.from('Seen today. Plan: review in 2 weeks.\n'), 'text/plain'],
      [png, 'image/png'],
      [cda, 'application/hl7-v3+xml'],
    ] as const) {
      const created = await fhirFetch('acute', '/DocumentReference', {
        method: 'POST',
        body: documentReference(nhs, inline(bytes, type)),
      });
      expect(created.status, type).toBe(201);
      const url = (created.body as DocumentReference).content[0]?.attachment.url as string;
      expect((await download('acute', url)).bytes.equals(bytes)).toBe(true);
    }
  });
});

describe('stored documents, updated', () => {
  it('keeps its Binary through an update, and refuses claims about it that changed (422)', async () => {
    const nhs = await registeredPatient();
    const pdf = minimalPdf('Updated later');
    const created = await fhirFetch('acute', '/DocumentReference', {
      method: 'POST',
      body: documentReference(nhs, inline(pdf)),
    });
    const stored = created.body as DocumentReference;
    const path = `/DocumentReference/${stored.id}`;
    const updated = await fhirFetch('acute', path, {
      method: 'PUT',
      body: { ...stored, description: 'Discharge summary, corrected ward' },
      headers: { 'If-Match': 'W/"1"' },
    });
    expect(updated.status).toBe(200);
    expect((updated.body as DocumentReference).content).toEqual(stored.content);
    const [{ attachment }] = stored.content as [{ attachment: Attachment }];
    const changed = await fhirFetch('acute', path, {
      method: 'PUT',
      body: { ...stored, content: [{ attachment: { ...attachment, hash: sha1Base64(Buffer.from('x')) } }] },
      headers: { 'If-Match': 'W/"2"' },
    });
    expect(changed.status).toBe(422);
    expect((await download('acute', attachment.url as string)).bytes.equals(pdf)).toBe(true);
  });
});

describe('stored documents, presigned upload', () => {
  let nhs: string;
  beforeAll(async () => {
    nhs = await registeredPatient();
  });

  it('takes a PDF too large to send inline by presigned PUT, checks it, and serves it back byte for byte', async () => {
    const pdf = minimalPdf('Discharge summary: uploaded', MAX_INLINE_DOCUMENT_BYTES + 1024);
    const upload = await uploadUrl('application/pdf', pdf.length, sha1Base64(pdf));
    expect(upload.status).toBe(200);
    expect(upload.binary).toMatch(/^Binary\/[0-9a-f-]{36}$/);
    expect(expiresIn(upload.url)).toBeLessThanOrEqual(300);
    expect(expiresIn(upload.url)).toBe(UPLOAD_URL_SECONDS);
    expect(new URL(upload.url).searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining(['content-length', 'content-type', 'x-amz-checksum-sha1']),
    );
    const binaryId = upload.binary.split('/')[1] as string;
    expect(new URL(upload.url).pathname).toBe(`/${bucket()}/uploads/${binaryId}`);

    const put = await fetch(upload.url, { method: 'PUT', body: pdf, headers: upload.headers });
    expect(put.status).toBe(200);

    const created = await fhirFetch('acute', '/DocumentReference', {
      method: 'POST',
      body: documentReference(nhs, {
        contentType: 'application/pdf',
        size: pdf.length,
        hash: sha1Base64(pdf),
        url: upload.binary,
      }),
    });
    expect(created.status).toBe(201);
    const url = (created.body as DocumentReference).content[0]?.attachment.url as string;
    expect(url).toBe(`${sandbox().clients.fhirBase}/${upload.binary}`);
    const keys = await bucketKeys();
    expect(keys).toContain(`documents/${binaryId}`);
    expect(keys).not.toContain(`uploads/${binaryId}`);

    const { bytes } = await download('acute', url);
    expect(bytes.equals(pdf)).toBe(true);
  });

  it('refuses a second DocumentReference claiming the same upload', async () => {
    const pdf = minimalPdf('Claimed once');
    const upload = await uploadUrl('application/pdf', pdf.length, sha1Base64(pdf));
    await fetch(upload.url, { method: 'PUT', body: pdf, headers: upload.headers });
    const body = documentReference(nhs, {
      contentType: 'application/pdf',
      size: pdf.length,
      hash: sha1Base64(pdf),
      url: upload.binary,
    });
    expect((await fhirFetch('acute', '/DocumentReference', { method: 'POST', body })).status).toBe(201);
    const again = await fhirFetch('acute', '/DocumentReference', { method: 'POST', body });
    expect(again.status).toBe(422);
    expect(again.body.resourceType).toBe('OperationOutcome');
  });

  it("refuses another organisation's upload", async () => {
    const pdf = minimalPdf('Not yours');
    const upload = await uploadUrl('application/pdf', pdf.length, sha1Base64(pdf));
    await fetch(upload.url, { method: 'PUT', body: pdf, headers: upload.headers });
    const body = documentReference(nhs, {
      contentType: 'application/pdf',
      size: pdf.length,
      hash: sha1Base64(pdf),
      url: upload.binary,
    });
    expect((await fhirFetch('gp', '/DocumentReference', { method: 'POST', body })).status).toBe(422);
  });
});

describe('refused documents leave nothing in S3 or the record', () => {
  let nhs: string;
  beforeAll(async () => {
    nhs = await registeredPatient();
  });

  const refusedWith = async (status: number, role: Role, path: string, body: unknown) => {
    const answer = await fhirFetch(role, path, { method: 'POST', body });
    expect(answer.status).toBe(status);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    return answer.body as { issue: { diagnostics: string; expression?: string[] }[] };
  };

  it('refuses an inline document whose hash is not its SHA-1 (422)', async () => {
    const pdf = uniquePdf('Wrong hash');
    await leavesNothing(nhs, [pdf], async () => {
      const outcome = await refusedWith(
        422,
        'acute',
        '/DocumentReference',
        documentReference(nhs, { ...inline(pdf), hash: sha1Base64(Buffer.from('x')) }),
      );
      expect(outcome.issue[0]?.expression).toEqual(['DocumentReference.content[0].attachment.hash']);
    });
  });

  it('refuses an inline document over the inline limit (413)', async () => {
    const pdf = uniquePdf('Too big', MAX_INLINE_DOCUMENT_BYTES);
    await leavesNothing(nhs, [pdf], async () => {
      await refusedWith(413, 'acute', '/DocumentReference', documentReference(nhs, inline(pdf)));
    });
  });

  it('refuses an executable declared as a PDF (422)', async () => {
    const exe = windowsExecutable();
    await leavesNothing(nhs, [exe], async () => {
      const outcome = await refusedWith(
        422,
        'acute',
        '/DocumentReference',
        documentReference(nhs, inline(exe)),
      );
      expect(outcome.issue[0]?.diagnostics).toMatch(/not of an allowed type/);
    });
  });

  it('refuses a document whose declared type is not allowed (422)', async () => {
    const html = Buffer.from(`<html><!-- ${crypto.randomUUID()} --></html>`);
    await leavesNothing(nhs, [html], async () => {
      await refusedWith(
        422,
        'acute',
        '/DocumentReference',
        documentReference(nhs, inline(html, 'text/html')),
      );
    });
  });

  it('refuses an upload whose bytes are not the SHA-1 declared, and deletes it (422)', async () => {
    const pdf = uniquePdf('Declared');
    const other = uniquePdf('Uploaded instead');
    const upload = await uploadUrl('application/pdf', pdf.length, sha1Base64(pdf));
    // s3rver checks neither signatures nor checksums (S3 would refuse this PUT): the server must catch it.
    await fetch(upload.url, {
      method: 'PUT',
      body: other.subarray(0, pdf.length),
      headers: { 'Content-Type': 'application/pdf' },
    });
    await leavesNothing(
      nhs,
      [pdf, other.subarray(0, pdf.length)],
      async () => {
        const outcome = await refusedWith(
          422,
          'acute',
          '/DocumentReference',
          documentReference(nhs, {
            contentType: 'application/pdf',
            size: pdf.length,
            hash: sha1Base64(pdf),
            url: upload.binary,
          }),
        );
        expect(outcome.issue[0]?.expression).toEqual(['DocumentReference.content[0].attachment.hash']);
      },
      [upload.binary],
    );
    expect(await binaryItems(upload.binary)).toEqual([]);
  });

  it('refuses an upload longer than declared, and deletes it (422)', async () => {
    const pdf = uniquePdf('Short');
    const upload = await uploadUrl('application/pdf', pdf.length, sha1Base64(pdf));
    const longer = uniquePdf('Longer', 5000);
    await fetch(upload.url, { method: 'PUT', body: longer, headers: { 'Content-Type': 'application/pdf' } });
    await leavesNothing(
      nhs,
      [pdf, longer],
      async () => {
        await refusedWith(
          422,
          'acute',
          '/DocumentReference',
          documentReference(nhs, {
            contentType: 'application/pdf',
            size: pdf.length,
            hash: sha1Base64(pdf),
            url: upload.binary,
          }),
        );
      },
      [upload.binary],
    );
    expect(await binaryItems(upload.binary)).toEqual([]);
  });

  it('refuses an uploaded executable declared as a PDF, and deletes it (422)', async () => {
    const elf = linuxExecutable(10_000);
    const upload = await uploadUrl('application/pdf', elf.length, sha1Base64(elf));
    await fetch(upload.url, { method: 'PUT', body: elf, headers: upload.headers });
    await leavesNothing(
      nhs,
      [elf],
      async () => {
        await refusedWith(
          422,
          'acute',
          '/DocumentReference',
          documentReference(nhs, {
            contentType: 'application/pdf',
            size: elf.length,
            hash: sha1Base64(elf),
            url: upload.binary,
          }),
        );
      },
      [upload.binary],
    );
    expect(await binaryItems(upload.binary)).toEqual([]);
  });

  it('refuses an upload URL for more than 100 MB (413) or for a type not allowed (400)', async () => {
    await leavesNothing(nhs, [], async () => {
      expect(
        (await uploadUrl('application/pdf', 100 * 1024 * 1024 + 1, sha1Base64(Buffer.from('x')))).status,
      ).toBe(413);
      const refused = await uploadUrl('application/x-msdownload', 1000, sha1Base64(Buffer.from('x')));
      expect(refused.status).toBe(400);
      expect(refused.body.resourceType).toBe('OperationOutcome');
    });
  });

  it('refuses a document for an unregistered patient, and takes its stored bytes away again (422)', async () => {
    const stranger = newNhsNumber();
    const pdf = uniquePdf('For nobody');
    await leavesNothing(stranger, [pdf], async () => {
      await refusedWith(422, 'acute', '/DocumentReference', documentReference(stranger, inline(pdf)));
    });
  });
});

describe('access to stored documents', () => {
  let nhs: string;
  let url: string;
  let documentId: string;
  beforeAll(async () => {
    nhs = await registeredPatient();
    const created = await fhirFetch('acute', '/DocumentReference', {
      method: 'POST',
      body: documentReference(nhs, inline(minimalPdf('Access rules'))),
    });
    documentId = created.body.id as string;
    url = (created.body as DocumentReference).content[0]?.attachment.url as string;
  });

  it('gives an organisation without a relationship no download URL (403, audited)', async () => {
    const refused = await binary('gp-other', url);
    expect(refused.status).toBe(403);
    expect(refused.location).toBeNull();
    expect(refused.body.resourceType).toBe('OperationOutcome');
    const trail = await auditTrail(nhs);
    expect(
      trail.some((a) => a.outcome === '4' && a.agent.some((g) => g.who?.identifier?.value === 'A81002')),
    ).toBe(true);
  });

  it('gives it one in an emergency (break-glass), audited with the Binary and its DocumentReference', async () => {
    const allowed = await binary('gp-other', url, {
      'NHSD-Purpose-Of-Use': 'ETREAT',
      'NHSD-Break-Glass-Reason': 'Unconscious in ED',
    });
    expect(allowed.status).toBe(302);
    const binaryId = url.split('/').pop();
    const trail = await auditTrail(nhs);
    expect(
      trail.some(
        (a) =>
          a.outcome === '0' &&
          a.entity?.some((e) => e.what?.reference === `Binary/${binaryId}`) &&
          a.entity?.some((e) => e.what?.reference === `DocumentReference/${documentId}/_history/1`),
      ),
    ).toBe(true);
  });

  it("hides a restricted document's bytes from all but its contributor (404)", async () => {
    const created = await fhirFetch('acute', '/DocumentReference', {
      method: 'POST',
      body: documentReference(nhs, inline(minimalPdf('Restricted')), {
        meta: {
          security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }],
        },
      }),
    });
    const restricted = (created.body as DocumentReference).content[0]?.attachment.url as string;
    expect((await binary('gp', restricted)).status).toBe(404);
    expect((await binary('acute', restricted)).status).toBe(302);
  });

  it('keeps the bytes of a deleted document, but serves them no more (410)', async () => {
    const pdf = minimalPdf('To be deleted');
    const created = await fhirFetch('acute', '/DocumentReference', {
      method: 'POST',
      body: documentReference(nhs, inline(pdf)),
    });
    const deletedUrl = (created.body as DocumentReference).content[0]?.attachment.url as string;
    expect(
      (await fhirFetch('acute', `/DocumentReference/${created.body.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    expect((await binary('acute', deletedUrl)).status).toBe(410);
    expect(await bucketKeys()).toContain(`documents/${deletedUrl.split('/').pop()}`);
  });

  it('answers 404 for a Binary that does not exist', async () => {
    expect(
      (await binary('acute', `${sandbox().clients.fhirBase}/Binary/${crypto.randomUUID()}`)).status,
    ).toBe(404);
  });
});

describe('document pointers (National Record Locator style)', () => {
  let nhs: string;
  beforeAll(async () => {
    nhs = await registeredPatient();
  });

  const pointer = (url: string, type = DISCHARGE_SUMMARY, extra: Record<string, unknown> = {}) =>
    documentReference(nhs, { contentType: 'application/pdf', url }, { type: { coding: [type] }, ...extra });

  it("stores a pointer to an https address in the contributor's system, unchanged, and raises DocumentReference.Added", async () => {
    const body = pointer('https://ehr.northbridge-hospitals.nhs.uk/documents/ds-1001');
    const created = await fhirFetch('acute', '/DocumentReference', { method: 'POST', body });
    expect(created.status).toBe(201);
    expect((created.body as DocumentReference).content).toEqual(body.content);
    const { Items = [] } = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': patientPartition(nhs), ':prefix': '_journal#' },
      }),
    );
    const raised = Items.flatMap((i) => (i.outbox ?? []) as { detailType: string; detail: string }[]);
    expect(raised).toContainEqual(
      expect.objectContaining({
        detailType: 'DocumentReference.Added',
        detail: expect.stringContaining(created.body.id as string),
      }),
    );
  });

  it('refuses a pointer without type or category, or to an address that is not https (422)', async () => {
    const { type: _type, ...untyped } = pointer('https://ehr.example.nhs.uk/d/1');
    expect((await fhirFetch('acute', '/DocumentReference', { method: 'POST', body: untyped })).status).toBe(
      422,
    );
    expect(
      (
        await fhirFetch('acute', '/DocumentReference', {
          method: 'POST',
          body: pointer('http://ehr.example.nhs.uk/d/1'),
        })
      ).status,
    ).toBe(422);
  });

  it('supersedes the older pointer a newer one replaces, in the same request', async () => {
    const older = await fhirFetch('acute', '/DocumentReference', {
      method: 'POST',
      body: pointer('https://ehr.example.nhs.uk/d/v1'),
    });
    const newer = await fhirFetch('acute', '/DocumentReference', {
      method: 'POST',
      body: pointer('https://ehr.example.nhs.uk/d/v2', DISCHARGE_SUMMARY, {
        relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${older.body.id}` } }],
      }),
    });
    expect(newer.status).toBe(201);
    const read = await fhirFetch('acute', `/DocumentReference/${older.body.id}`);
    expect(read.body).toMatchObject({ status: 'superseded', meta: { versionId: '2' } });
    const history = await fhirFetch('acute', `/DocumentReference/${older.body.id}/_history`);
    expect(history.body.total).toBe(2);
    const trail = await auditTrail(nhs);
    expect(
      trail.some(
        (a) =>
          a.entity?.some((e) => e.what?.reference === `DocumentReference/${newer.body.id}/_history/1`) &&
          a.entity?.some((e) => e.what?.reference === `DocumentReference/${older.body.id}/_history/2`),
      ),
    ).toBe(true);
  });

  it("refuses to replace another organisation's pointer (403), changing nothing", async () => {
    const theirs = await fhirFetch('gp', '/DocumentReference', {
      method: 'POST',
      body: pointer('https://gp.example.nhs.uk/d/1'),
    });
    const before = (await documentsInRecord(nhs)).length;
    const refused = await fhirFetch('acute', '/DocumentReference', {
      method: 'POST',
      body: pointer('https://ehr.example.nhs.uk/d/2', DISCHARGE_SUMMARY, {
        relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${theirs.body.id}` } }],
      }),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.resourceType).toBe('OperationOutcome');
    expect((await fhirFetch('gp', `/DocumentReference/${theirs.body.id}`)).body).toMatchObject({
      status: 'current',
    });
    expect((await documentsInRecord(nhs)).length).toBe(before);
  });

  it('finds pointers by patient and type', async () => {
    const letter = await fhirFetch('acute', '/DocumentReference', {
      method: 'POST',
      body: pointer('https://ehr.example.nhs.uk/letters/7', CLINIC_LETTER),
    });
    expect(letter.status).toBe(201);
    const found = await fhirFetch(
      'acute',
      `/DocumentReference?patient=Patient/${nhs}&type=${encodeURIComponent(`${CLINIC_LETTER.system}|${CLINIC_LETTER.code}`)}`,
    );
    expect(found.status).toBe(200);
    const ids = ((found.body.entry ?? []) as { resource: { id: string } }[]).map((e) => e.resource.id);
    expect(ids).toEqual([letter.body.id]);
  });
});
