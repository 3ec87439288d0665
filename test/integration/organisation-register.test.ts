import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '#functions/organisation-register/handler';
import { lambdaContext } from '#local/lambda-context';
import { s3Sdk } from '#shared/aws/s3';
import { fhirFetch } from '../support/http.ts';

/** What the function answered CloudFormation with, at the presigned response URL. */
const answers: Record<string, unknown>[] = [];
const cloudFormation = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    answers.push({ method: req.method, ...JSON.parse(body) });
    res.writeHead(200).end();
  });
});
let responseUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => cloudFormation.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(cloudFormation.address() as AddressInfo).port}/response`;
});
afterAll(() => new Promise<void>((resolve) => cloudFormation.close(() => resolve())));

const odsCode = `Z${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
/** The sandbox's one bucket stands in for the CDK asset bucket; each registry is this test's own object. */
const BUCKET = 'shared-care-record-documents';
const registryKey = (name: string) => `test-registry/${odsCode}/${encodeURIComponent(name)}.json`;

/**
 * Uploads a registry as the deployment's asset would be, with this test's organisation only: no
 * `supplierSystems`, so the sandbox's supplier registry, which other tests use, is left alone.
 */
async function uploadRegistry(name: string) {
  const { s3, PutObjectCommand } = await s3Sdk();
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: registryKey(name),
      Body: JSON.stringify({ organisations: [{ odsCode, name, type: 'govt' }] }),
    }),
  );
}
beforeAll(async () => {
  for (const name of ['Moorside Council Adult Social Care', 'Moorside Adult Social Care'])
    await uploadRegistry(name);
});
const event = (requestType: 'Create' | 'Update' | 'Delete', name: string) =>
  ({
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:eu-west-2:000000000000:function:organisation-register',
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:eu-west-2:000000000000:stack/SharedCareRecord-test/1',
    RequestId: crypto.randomUUID(),
    LogicalResourceId: 'OrganisationRegisterOrganisations',
    ResourceType: 'Custom::Organisations',
    ResourceProperties: { ServiceToken: 'arn', Registry: { Bucket: BUCKET, Key: registryKey(name) } },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'organisations', OldResourceProperties: {} }),
  }) as unknown as CloudFormationCustomResourceEvent;

describe("the organisation register (the ICB config's organisations in the record)", () => {
  it('creates an Organization at each ODS code on deployment, findable by suppliers, and tells CloudFormation', async () => {
    await handler(
      event('Create', 'Moorside Council Adult Social Care'),
      lambdaContext('organisation-register', 120),
    );

    expect(answers.at(-1)).toMatchObject({
      method: 'PUT',
      Status: 'SUCCESS',
      PhysicalResourceId: 'organisations',
    });
    const { status, body } = await fhirFetch('gp', `/Organization/${odsCode}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      resourceType: 'Organization',
      id: odsCode,
      name: 'Moorside Council Adult Social Care',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: odsCode }],
      meta: { versionId: '1' },
    });
  });

  it('updates a renamed organisation to a new version, and leaves it be when nothing changed', async () => {
    await handler(event('Update', 'Moorside Adult Social Care'), lambdaContext('organisation-register', 120));
    await handler(event('Update', 'Moorside Adult Social Care'), lambdaContext('organisation-register', 120));

    const { body } = await fhirFetch('gp', `/Organization/${odsCode}`);
    expect(body).toMatchObject({ name: 'Moorside Adult Social Care', meta: { versionId: '2' } });
    expect(answers.slice(-2).map((a) => a.Status)).toEqual(['SUCCESS', 'SUCCESS']);
  });

  it('keeps the Organizations when the stack is deleted: the retained record refers to them', async () => {
    await handler(event('Delete', 'ignored'), lambdaContext('organisation-register', 120));

    expect(answers.at(-1)).toMatchObject({ Status: 'SUCCESS' });
    expect((await fhirFetch('gp', `/Organization/${odsCode}`)).status).toBe(200);
  });
});
