import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#local/free-port';
import type { SandboxClientsFile } from '#local/sandbox-clients';
import { tableDesign } from '#shared/service/table-design';
import { ukPatient } from '../support/fixtures.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { ownSandboxToken } from '../support/own-sandbox-token.ts';

/**
 * DynamoDB's indexes are eventually consistent on AWS and immediate in DynamoDB Local. This sandbox runs with
 * index reads lagging writes by a minute (far longer than the test takes), so any read of one's own write that
 * went through an index would miss it here, as it may on AWS (ARCHITECTURE.md: read-your-writes).
 */
const LAG_MS = 60_000;
let child: ChildProcess;
let clients: SandboxClientsFile;
let handlerEndpoint: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scr-index-lag-'));
  const port = await freePort();
  child = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/start.ts', '--fresh', '--dir', dir, '--index-lag-ms', String(LAG_MS)],
    { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const out = await new Promise<string>((ready, fail) => {
    let text = '';
    child.stdout?.on('data', (d) => {
      text += String(d);
      if (text.includes('Index reads lag writes')) ready(text);
    });
    child.stderr?.on('data', (d) => {
      text += String(d);
    });
    child.once('exit', (code) => fail(new Error(`The sandbox exited ${code}: ${text}`)));
  });
  handlerEndpoint = /reach DynamoDB at (\S+)/.exec(out)?.[1] as string;
  clients = JSON.parse(readFileSync(join(dir, 'clients.json'), 'utf8')) as SandboxClientsFile;
}, 120_000);

afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
});

describe('reads of one’s own writes with index lag as on AWS', () => {
  it('hides a just-written item from an index read (the sandbox really lags)', async () => {
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: handlerEndpoint,
        region: 'eu-west-2',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
    );
    const reference = `Condition/lag-probe-${crypto.randomUUID()}`;
    await db.send(
      new PutCommand({
        TableName: 'shared-care-record',
        Item: { PK: `PATIENT#lag-probe`, SK: reference.replace('/', '#'), GSI1PK: reference },
      }),
    );
    const viaIndex = await db.send(
      new QueryCommand({
        TableName: 'shared-care-record',
        IndexName: tableDesign.byIdIndex.name,
        KeyConditionExpression: 'GSI1PK = :rid',
        ExpressionAttributeValues: { ':rid': reference },
      }),
    );
    expect(viaIndex.Items).toEqual([]);
  });

  it('creates, reads, updates and deletes a Condition at once, as its creator', async () => {
    const nhs = newNhsNumber();
    const headers = {
      Authorization: `Bearer ${await ownSandboxToken(clients)}`,
      'Content-Type': 'application/fhir+json',
    };
    const base = clients.fhirBase;
    const registered = await fetch(`${base}/Patient/${nhs}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify(ukPatient(nhs)),
    });
    expect(registered.status).toBe(201);

    const condition = {
      resourceType: 'Condition',
      subject: { reference: `Patient/${nhs}` },
      code: {
        coding: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }],
      },
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
    };
    const created = await fetch(`${base}/Condition`, {
      method: 'POST',
      headers,
      body: JSON.stringify(condition),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const read = await fetch(`${base}/Condition/${id}`, { headers });
    expect(read.status).toBe(200);

    const updated = await fetch(`${base}/Condition/${id}`, {
      method: 'PUT',
      headers: { ...headers, 'If-Match': 'W/"1"' },
      body: JSON.stringify({ ...condition, id, note: [{ text: 'Reviewed' }] }),
    });
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as { meta: { versionId: string } }).meta.versionId).toBe('2');

    const deleted = await fetch(`${base}/Condition/${id}`, { method: 'DELETE', headers });
    expect(deleted.status).toBe(204);
    const gone = await fetch(`${base}/Condition/${id}`, { headers });
    expect(gone.status).toBe(410);
  });

  it('reads what a transaction created at once, by the ids it answered', async () => {
    const nhs = newNhsNumber();
    const headers = {
      Authorization: `Bearer ${await ownSandboxToken(clients)}`,
      'Content-Type': 'application/fhir+json',
    };
    const base = clients.fhirBase;
    const response = await fetch(base, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:3f2b7c1e-0d4a-4f7e-9d55-1b2c3d4e5f60',
            resource: ukPatient(nhs),
            request: { method: 'POST', url: 'Patient' },
          },
          {
            resource: {
              resourceType: 'AllergyIntolerance',
              patient: { reference: 'urn:uuid:3f2b7c1e-0d4a-4f7e-9d55-1b2c3d4e5f60' },
              clinicalStatus: {
                coding: [
                  {
                    system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
                    code: 'active',
                  },
                ],
              },
              code: {
                coding: [
                  { system: 'http://snomed.info/sct', code: '91936005', display: 'Penicillin allergy' },
                ],
              },
            },
            request: { method: 'POST', url: 'AllergyIntolerance' },
          },
        ],
      }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const bundle = (await response.json()) as { entry: { response: { status: string; location: string } }[] };
    const location = bundle.entry[1]?.response.location as string;
    expect(location).toMatch(
      /^AllergyIntolerance\/[^/]+\/_history\/1$|\/AllergyIntolerance\/[^/]+\/_history\/1$/,
    );
    const id = /AllergyIntolerance\/([^/]+)/.exec(location)?.[1];
    const read = await fetch(`${base}/AllergyIntolerance/${id}`, { headers });
    expect(read.status).toBe(200);
  });
});
