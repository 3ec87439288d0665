import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  BadRequestError,
  GoneError,
  MethodNotAllowedError,
  NotFoundError,
  OperationOutcomeError,
  operationOutcome,
} from '#shared/fhir/operation-outcome';
import type { FhirRequest } from '#shared/http/fhir-request';
import { fhirRequestBody } from '#shared/http/fhir-request-body';
import { fhirResponse } from '#shared/http/fhir-response';
import { idempotentPost } from '#shared/http/idempotent-post';
import { requestContext } from '#shared/http/request-context';
import { requestText } from '#shared/http/request-text';
import { eventHistory } from '#shared/subscriptions/event-history';
import { eventsBundle, eventsRange } from '#shared/subscriptions/events-operation';
import { ownedSubscription } from '#shared/subscriptions/owned-subscription';
import { statusBundle } from '#shared/subscriptions/status-operation';
import { subscribe } from '#shared/subscriptions/subscribe';
import { subscriptionResource } from '#shared/subscriptions/subscription-resource';
import {
  SUBSCRIPTION_SEARCH_PARAMETERS,
  SUBSCRIPTION_STATUS_PARAMETERS,
} from '#shared/subscriptions/subscription-search';
import { deleteSubscription, subscriptionsOf } from '#shared/subscriptions/subscription-store';
import { validateSubscription } from '#shared/subscriptions/validate-subscription';

export type Interaction = (request: FhirRequest) => Promise<APIGatewayProxyResult>;

const context = (r: FhirRequest) => requestContext(r.event, r.fhirBase);
const id = (r: FhirRequest) => r.event.pathParameters?.id as string;
const bundle = (b: Bundle) => fhirResponse(200, b as Resource);

function queryOf(r: FhirRequest, allowed: readonly string[]): Map<string, string[]> {
  const query = new Map<string, string[]>();
  const form =
    r.event.httpMethod === 'POST' && r.event.body
      ? new URLSearchParams(requestText(r.event))
      : new URLSearchParams();
  const multi = r.event.multiValueQueryStringParameters ?? {};
  const pairs = [...Object.entries(multi).flatMap(([k, vs]) => (vs ?? []).map((v) => [k, v])), ...form];
  const lenient = /handling=lenient/i.test(r.event.headers.prefer ?? '');
  for (const [name, value] of pairs as [string, string][]) {
    if (!allowed.includes(name)) {
      if (lenient) continue;
      throw new BadRequestError(`Unknown parameter '${name}': Subscription takes ${allowed.join(', ')}`);
    }
    query.set(name, [...(query.get(name) ?? []), ...value.split(',')]);
  }
  return query;
}

const notSupported: Interaction = async (r) => {
  const what = `${r.event.httpMethod} ${r.event.resource.replace(/^.*\/Subscription/, 'Subscription')}`;
  throw new MethodNotAllowedError(
    `Subscription does not support ${what}: read it with GET, and to change it delete it and create a new one`,
  );
};

/** Each route of the Subscription API: parse, authorise and act in shared/, shape the FHIR response. */
export const interactions: Record<string, Interaction> = {
  create: async (r) => {
    const ctx = context(r);
    const body = fhirRequestBody(r.event);
    return idempotentPost(
      { clientId: ctx.caller.clientId, requestId: r.event.headers['x-request-id'], path: r.event.path },
      async () => {
        const resource = await subscribe(ctx, body);
        return fhirResponse(201, resource, {
          Location: `${r.fhirBase}/Subscription/${resource.id}/_history/1`,
        });
      },
    );
  },

  read: async (r) => {
    const { subscription, state } = await ownedSubscription(context(r).caller, id(r), 'r');
    return fhirResponse(200, subscriptionResource(subscription, state));
  },

  delete: async (r) => {
    try {
      const { subscription } = await ownedSubscription(context(r).caller, id(r), 'd');
      await deleteSubscription(subscription);
    } catch (e) {
      // Deleting twice changes nothing, as for every other resource.
      if (!(e instanceof GoneError)) throw e;
    }
    return { statusCode: 204, body: '' };
  },

  // A subscription keeps one version, so only that one can be read by version.
  vread: async (r) => {
    const { subscription, state } = await ownedSubscription(context(r).caller, id(r), 'r');
    const vid = r.event.pathParameters?.vid;
    if (vid !== subscription.resource.meta?.versionId) {
      throw new NotFoundError(`Subscription/${subscription.id} has no version ${vid}`);
    }
    return fhirResponse(200, subscriptionResource(subscription, state));
  },

  status: async (r) =>
    bundle(statusBundle([await ownedSubscription(context(r).caller, id(r), 'r')], r.fhirBase)),

  events: async (r) => {
    const range = eventsRange(r.event.queryStringParameters ?? {});
    const found = await ownedSubscription(context(r).caller, id(r), 'r');
    const { events, more } = await eventHistory(found.subscription.id, range);
    const last = events.at(-1)?.eventNumber;
    const next =
      more && last !== undefined
        ? `${r.fhirBase}/Subscription/${found.subscription.id}/$events?eventsSinceNumber=${last + 1}`
        : undefined;
    return bundle(eventsBundle(found, events, r.fhirBase, next));
  },

  'status-type': async (r) => {
    const ctx = context(r);
    const query = queryOf(r, SUBSCRIPTION_STATUS_PARAMETERS);
    const ids = query.get('id');
    const statuses = query.get('status');
    const own = (await subscriptionsOf(ctx.caller.odsCode)).filter(
      (s) => (!ids || ids.includes(s.subscription.id)) && (!statuses || statuses.includes(s.state.status)),
    );
    return bundle(statusBundle(own, r.fhirBase));
  },

  'search-type': async (r) => {
    const ctx = context(r);
    const statuses = queryOf(r, SUBSCRIPTION_SEARCH_PARAMETERS).get('status');
    const own = (await subscriptionsOf(ctx.caller.odsCode))
      .map(({ subscription, state }) => subscriptionResource(subscription, state))
      .filter((s) => !statuses || statuses.includes(s.status));
    return bundle({
      resourceType: 'Bundle',
      type: 'searchset',
      total: own.length,
      link: [{ relation: 'self', url: `${r.fhirBase}/Subscription` }],
      entry: own.map((s) => ({
        fullUrl: `${r.fhirBase}/Subscription/${s.id}`,
        resource: s,
        search: { mode: 'match' },
      })),
    });
  },

  validate: async (r) => {
    context(r);
    let outcome: OperationOutcome;
    try {
      outcome = await validateSubscription(fhirRequestBody(r.event, { stored: false }));
    } catch (e) {
      if (!(e instanceof OperationOutcomeError) || e.status === 415 || e.status === 413) throw e;
      outcome = operationOutcome(e.issues);
    }
    return fhirResponse(200, outcome);
  },

  'method-not-allowed': notSupported,
};
