import { marshall } from '@aws-sdk/util-dynamodb';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { demoOrganisations } from '#local/demo-organisations';
import type { AuditFacts } from '#shared/audit/audit-event';
import { authorizerContext } from '#shared/http/caller';
import { journalItem } from '#shared/record/journal-entry';
import { EVENT_SOURCE } from '#shared/service/events';
import type { FunctionName } from '#shared/service/functions';
import { patientPartition } from '#shared/service/table-design';
import { accessToken, clientAssertion, clientFor, tokenRequestForm } from '../support/access-token.ts';
import { clinicalResource, clinicalTypes, nhsNumbers, patient } from '../support/fixtures.ts';
import { type BenchRequest, proxyEvent } from '../support/proxy-event.ts';
import { sandboxFhir } from '../support/sandbox-fhir.ts';
import type { SandboxProcess } from '../support/sandbox-process.ts';

/** The events one function is driven with, and the statuses its answers may have. */
export interface MemoryLoad {
  events: unknown[];
  okStatuses: number[];
  /** Invocations when the function's real load is far below the loop's (a deployment-time custom resource). */
  invocations?: number;
}

/** Stands in an event for an id the worker makes anew at each invocation (event ids, focus ids). */
export const FRESH_ID = '{{fresh-id}}';

const TOPIC = 'https://shared-care-record.org/fhir/SubscriptionTopic/admission';
const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

/**
 * The load each function is put under for its peak memory: the FHIR function over the same interactions as
 * the CPU benchmark (a 50-resource record behind `$everything`), the HTTP functions over their routes, and the
 * event-driven ones over the events they would receive (stream records with outbox entries, bus events,
 * queued deliveries to a live subscription), each with fresh ids where a repeat would change nothing.
 */
export async function memoryLoads(
  sandbox: SandboxProcess,
  webhookUrl: string,
  iterations: number,
): Promise<Partial<Record<FunctionName, MemoryLoad>>> {
  const host = new URL(sandbox.url).host;
  const token = await accessToken(sandbox.clients, 'gp');
  const { payload } = await jwtVerify(
    token,
    createRemoteJWKSet(new URL(`${sandbox.url}/.well-known/jwks.json`)),
    {
      audience: 'shared-care-record',
    },
  );
  const caller = sandbox.clients.clients.find((c) => c.clientId === payload.sub);
  if (!caller) throw new Error(`No sandbox client ${payload.sub}`);
  const context = authorizerContext(caller, payload.exp as number);
  const api = (request: BenchRequest) =>
    proxyEvent(
      { ...request, headers: { Authorization: `Bearer ${token}`, ...request.headers } },
      context,
      host,
    );
  const fhir = (method: string, path: string, body: unknown, status: number) =>
    sandboxFhir(sandbox, token, { method, path, body }, status);

  const numbers = nhsNumbers('920');
  const nhs = numbers.next().value as string;
  // New subscriptions go to a second patient, so the matcher's load sees the first patient's one subscription.
  const other = numbers.next().value as string;
  for (const n of [nhs, other]) await fhir('PUT', `/Patient/${n}`, patient(n), 201);
  const observation = await fhir('POST', '/Observation', clinicalResource.Observation(nhs), 201);
  for (let i = 0; i < 48; i++) {
    const type = clinicalTypes[i % clinicalTypes.length] as keyof typeof clinicalResource;
    await fhir('POST', `/${type}`, clinicalResource[type](nhs), 201);
  }
  const subscription = await fhir('POST', '/Subscription', subscriptionBody(nhs, webhookUrl), 201);
  const base = '/FHIR/R4';
  const busEvent = (detailType: string, focus: string) => ({
    version: '0',
    id: FRESH_ID,
    'detail-type': detailType,
    source: EVENT_SOURCE,
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'eu-west-2',
    resources: [],
    detail: { patient: `Patient/${nhs}`, focus, contributor: 'RX1', eventId: FRESH_ID },
  });
  const gp = clientFor(sandbox.clients, 'gp');
  // A signed assertion cannot be made anew by the worker: one each, signed here.
  const assertions = await Promise.all(
    Array.from({ length: iterations }, () => clientAssertion(gp, sandbox.clients.tokenUrl)),
  );

  return {
    fhir: {
      okStatuses: [200, 201],
      events: [
        api({ method: 'GET', path: `${base}/Observation/${observation.id}` }),
        api({ method: 'GET', path: `${base}/Patient/${nhs}` }),
        api({ method: 'POST', path: `${base}/Observation`, body: clinicalResource.Observation(nhs) }),
        api({
          method: 'PUT',
          path: `${base}/Observation/${observation.id}`,
          headers: { 'If-Match': 'W/"1"' },
          body: observation,
        }),
        api({ method: 'GET', path: `${base}/Observation?patient=Patient/${nhs}&_count=10&_sort=-date` }),
        api({ method: 'GET', path: `${base}/Patient/${nhs}/$everything` }),
        api({ method: 'POST', path: base, body: transaction(nhs) }),
      ],
    },
    authorizer: {
      okStatuses: [],
      events: [
        {
          type: 'TOKEN',
          authorizationToken: `Bearer ${token}`,
          methodArn: 'arn:aws:execute-api:eu-west-2:000000000000:bench/bench/GET/FHIR/R4/Patient/x',
        },
      ],
    },
    oauth: {
      okStatuses: [200],
      events: assertions.map((a, i) =>
        i % 10 === 9
          ? proxyEvent({ method: 'GET', path: '/.well-known/jwks.json' }, undefined, host)
          : proxyEvent(
              {
                method: 'POST',
                path: '/oauth2/token',
                headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
                body: tokenRequestForm(a).toString(),
              },
              undefined,
              host,
            ),
      ),
    },
    documents: {
      okStatuses: [200],
      events: [
        api({
          method: 'POST',
          path: `${base}/Binary/$upload-url`,
          body: {
            resourceType: 'Parameters',
            parameter: [
              { name: 'contentType', valueCode: 'application/pdf' },
              { name: 'size', valueInteger: 2_000_000 },
              { name: 'hash', valueBase64Binary: 'qZk+NkcGgWq6PiVxeFDCbJzQ2J0=' },
            ],
          },
        }),
      ],
    },
    subscriptions: {
      okStatuses: [200, 201],
      events: [
        api({ method: 'GET', path: `${base}/Subscription/${subscription.id}` }),
        api({ method: 'GET', path: `${base}/Subscription?status=active` }),
        api({ method: 'GET', path: `${base}/Subscription/${subscription.id}/$status` }),
        api({ method: 'POST', path: `${base}/Subscription`, body: subscriptionBody(other, webhookUrl) }),
      ],
    },
    'outbox-publisher': {
      okStatuses: [],
      events: [
        {
          Records: Array.from({ length: 10 }, (_, r) => ({
            eventID: FRESH_ID,
            eventName: 'INSERT',
            eventSource: 'aws:dynamodb',
            awsRegion: 'eu-west-2',
            dynamodb: {
              SequenceNumber: String(r + 1),
              NewImage: marshall(outboxJournalItem(nhs), { removeUndefinedValues: true }),
              StreamViewType: 'NEW_AND_OLD_IMAGES',
            },
          })),
        },
      ],
    },
    'subscription-matcher': {
      okStatuses: [],
      events: [busEvent('Encounter.Admitted', `Encounter/${FRESH_ID}`)],
    },
    'admission-notifier': {
      okStatuses: [],
      events: [busEvent('Encounter.Admitted', `Encounter/${FRESH_ID}`)],
    },
    'safeguarding-notifier': {
      okStatuses: [],
      events: [busEvent('Flag.SafeguardingRaised', `Flag/${FRESH_ID}`)],
    },
    // A CloudFormation custom resource runs once a deployment: a few invocations are its real load.
    'organisation-register': {
      okStatuses: [],
      invocations: 5,
      events: [
        {
          RequestType: 'Update',
          ServiceToken: 'arn:aws:lambda:eu-west-2:000000000000:function:organisation-register',
          ResponseURL: webhookUrl,
          StackId: 'arn:aws:cloudformation:eu-west-2:000000000000:stack/bench/1',
          RequestId: 'bench',
          LogicalResourceId: 'Organisations',
          PhysicalResourceId: 'organisations',
          ResourceType: 'Custom::Organisations',
          ResourceProperties: {
            ServiceToken: 'arn:aws:lambda:eu-west-2:000000000000:function:organisation-register',
            Organisations: demoOrganisations.map(({ odsCode, name, type }) => ({ odsCode, name, type })),
          },
          OldResourceProperties: {},
        },
      ],
    },
    'notification-delivery': {
      okStatuses: [],
      events: [
        {
          Records: [
            {
              messageId: FRESH_ID,
              receiptHandle: `bench-${FRESH_ID}`,
              body: JSON.stringify({
                subscriptionId: subscription.id,
                eventId: FRESH_ID,
                detailType: 'Encounter.Admitted',
                focus: `Encounter/${FRESH_ID}`,
                patient: `Patient/${nhs}`,
                occurred: new Date().toISOString(),
              }),
              attributes: {
                ApproximateReceiveCount: '1',
                SentTimestamp: String(Date.now()),
                SenderId: 'bench',
                ApproximateFirstReceiveTimestamp: String(Date.now()),
              },
              messageAttributes: {},
              md5OfBody: '',
              eventSource: 'aws:sqs',
              eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:NotificationDeliveries',
              awsRegion: 'eu-west-2',
            },
          ],
        },
      ],
    },
  };
}

function transaction(nhs: string) {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: Array.from({ length: 20 }, (_, i) => {
      const type = clinicalTypes[i % clinicalTypes.length] as keyof typeof clinicalResource;
      return {
        fullUrl: `urn:uuid:${crypto.randomUUID()}`,
        resource: clinicalResource[type](nhs),
        request: { method: 'POST', url: type },
      };
    }),
  };
}

function subscriptionBody(nhs: string, endpoint: string) {
  return {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'Benchmark subscriber',
    criteria: TOPIC,
    _criteria: {
      extension: [{ url: `${BACKPORT}/backport-filter-criteria`, valueString: `patient=Patient/${nhs}` }],
    },
    channel: {
      type: 'rest-hook',
      endpoint,
      payload: 'application/fhir+json',
      _payload: { extension: [{ url: `${BACKPORT}/backport-payload-content`, valueCode: 'id-only' }] },
    },
  };
}

/** A journal item (audit + outbox) as a write leaves it in the stream: an admission's event. */
function outboxJournalItem(nhs: string) {
  const audit: AuditFacts = {
    caller: { clientId: 'sandbox-acute', odsCode: 'RX1' },
    purpose: { code: 'TREAT' },
    interaction: 'create',
    action: 'C',
    outcome: '0',
    patient: nhs,
    resources: [`Encounter/${crypto.randomUUID()}/_history/1`],
  };
  return journalItem({
    partition: patientPartition(nhs),
    audit,
    events: [
      {
        detailType: 'Encounter.Admitted',
        detail: { patient: `Patient/${nhs}`, focus: `Encounter/${crypto.randomUUID()}`, contributor: 'RX1' },
      },
    ],
  });
}
