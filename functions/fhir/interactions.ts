import type { APIGatewayProxyResult } from 'aws-lambda';
import { safeguardingCodes } from '#shared/events/safeguarding-codes';
import { safeguardingValueSet } from '#shared/events/safeguarding-value-set';
import { unlistedSafeguardingFlag } from '#shared/events/unlisted-safeguarding-flag';
import { capabilityStatement } from '#shared/fhir/capability-statement';
import { type Issue, operationOutcome } from '#shared/fhir/operation-outcome';
import { ifMatchVersion } from '#shared/fhir/versioning';
import type { FhirRequest } from '#shared/http/fhir-request';
import { fhirRequestBody } from '#shared/http/fhir-request-body';
import { fhirResponse } from '#shared/http/fhir-response';
import { idempotentPost } from '#shared/http/idempotent-post';
import { type RequestContext, requestContext } from '#shared/http/request-context';
import { searchQuery } from '#shared/http/search-query';
import { processBundle } from '#shared/interactions/bundle';
import { compositionDocument } from '#shared/interactions/composition-document';
import { conditionalCreateMatch } from '#shared/interactions/conditional-create';
import { currentMedications } from '#shared/interactions/current-medications';
import { everything } from '#shared/interactions/everything';
import {
  historyBundle,
  readResource,
  readResourceHistory,
  readResourceVersion,
} from '#shared/interactions/read';
import { searchType } from '#shared/interactions/search';
import { validateOperation } from '#shared/interactions/validate';
import { planCreate, planDelete, planUpdate } from '#shared/interactions/write';
import { commitPlans, type WritePlan } from '#shared/interactions/write-plan';
import { logger } from '#shared/observability/powertools';
import { countServiceMetric, serviceMetricNames } from '#shared/observability/service-metrics';

export type Interaction = (request: FhirRequest) => Promise<APIGatewayProxyResult>;

const param = (r: FhirRequest, name: 'type' | 'id' | 'vid') => r.event.pathParameters?.[name] as string;
const context = (r: FhirRequest): RequestContext => requestContext(r.event, r.fhirBase);

async function written(
  plan: WritePlan | undefined,
  ctx: RequestContext,
  prefer?: string,
): Promise<APIGatewayProxyResult> {
  if (!plan) return { statusCode: 204, body: '' };
  await commitPlans([plan], ctx);
  const { status, resource, location } = plan.response;
  if (!resource) return { statusCode: status, body: '' };
  const headers: Record<string, string> = status === 201 && location ? { Location: location } : {};
  const warning = unlistedSafeguardingFlag(resource, safeguardingCodes());
  if (warning) {
    countServiceMetric(serviceMetricNames.safeguardingCodeNotListed);
    logger.warn('Flag stored with a safeguarding look but a code not on the safeguarding list', {
      resource: `Flag/${resource.id}`,
      client: ctx.caller.clientId,
    });
  }
  // FHIR's `Prefer: return=OperationOutcome`: the outcome (with any warning) instead of the resource.
  if (/return=OperationOutcome/i.test(prefer ?? '')) {
    const issues: Issue[] = [
      {
        severity: 'information',
        code: 'informational',
        diagnostics: `${resource.resourceType}/${resource.id} stored`,
      },
      ...(warning ? [warning] : []),
    ];
    const versioned = fhirResponse(status, resource, headers);
    return { ...versioned, body: JSON.stringify(operationOutcome(issues)) };
  }
  return fhirResponse(status, resource, headers);
}

/** Each interaction of the route table: parse the request, call shared/, shape the FHIR response. */
export const interactions: Record<string, Interaction> = {
  capabilities: async (r) => fhirResponse(200, capabilityStatement(r.fhirBase)),

  'safeguarding-value-set': async (r) => {
    context(r);
    return fhirResponse(200, safeguardingValueSet());
  },

  read: async (r) =>
    fhirResponse(200, (await readResource(param(r, 'type'), param(r, 'id'), context(r))).resource),

  vread: async (r) => {
    const stored = await readResourceVersion(param(r, 'type'), param(r, 'id'), param(r, 'vid'), context(r));
    return fhirResponse(200, stored.resource);
  },

  'history-instance': async (r) => {
    const versions = await readResourceHistory(param(r, 'type'), param(r, 'id'), context(r));
    const self = `${r.fhirBase}/${param(r, 'type')}/${param(r, 'id')}/_history`;
    return fhirResponse(200, historyBundle(versions, r.fhirBase, self));
  },

  create: async (r) => {
    const ctx = context(r);
    const body = fhirRequestBody(r.event);
    const type = param(r, 'type');
    return idempotentPost(
      { clientId: ctx.caller.clientId, requestId: r.event.headers['x-request-id'], path: r.event.path },
      async () => {
        const existing = await conditionalCreateMatch(type, body, r.event.headers['if-none-exist'], ctx);
        return existing
          ? fhirResponse(200, existing)
          : written(await planCreate(type, body, ctx), ctx, r.event.headers.prefer);
      },
    );
  },

  'search-type': async (r) => {
    const ctx = context(r);
    const lenient = /handling=lenient/i.test(r.event.headers.prefer ?? '');
    return fhirResponse(200, await searchType(param(r, 'type'), searchQuery(r.event), ctx, { lenient }));
  },

  everything: async (r) => {
    const ctx = context(r);
    return fhirResponse(200, await everything(param(r, 'type'), param(r, 'id'), searchQuery(r.event), ctx));
  },

  'current-medications': async (r) => {
    const ctx = context(r);
    const { type, id } = { type: param(r, 'type'), id: param(r, 'id') };
    return fhirResponse(200, await currentMedications(type, id, searchQuery(r.event), ctx));
  },

  document: async (r) =>
    fhirResponse(200, await compositionDocument(param(r, 'type'), param(r, 'id'), context(r))),

  update: async (r) => {
    const ctx = context(r);
    const ifMatch = ifMatchVersion(r.event.headers['if-match']);
    return written(
      await planUpdate(param(r, 'type'), param(r, 'id'), fhirRequestBody(r.event), ifMatch, ctx),
      ctx,
      r.event.headers.prefer,
    );
  },

  delete: async (r) => {
    const ctx = context(r);
    const ifMatch = ifMatchVersion(r.event.headers['if-match']);
    return written(await planDelete(param(r, 'type'), param(r, 'id'), ifMatch, ctx), ctx);
  },

  transaction: async (r) => {
    const ctx = context(r);
    const body = fhirRequestBody(r.event);
    const key = {
      clientId: ctx.caller.clientId,
      requestId: r.event.headers['x-request-id'],
      path: r.event.path,
    };
    const bundle = await processBundle(
      body,
      ctx,
      async (_method, url) => {
        const [type, id, history, vid] = url.split('?')[0]?.replace(/^\//, '').split('/') ?? [];
        const stored =
          history === '_history' && vid
            ? await readResourceVersion(type as string, id as string, vid, ctx)
            : await readResource(type as string, id as string, ctx);
        return { status: 200, resource: stored.resource };
      },
      (writes) => idempotentPost(key, writes),
    );
    return fhirResponse(200, bundle);
  },

  validate: async (r) => {
    const mode = r.event.queryStringParameters?.mode;
    const body = fhirRequestBody(r.event, { stored: false });
    return fhirResponse(200, await validateOperation(param(r, 'type'), body, mode, context(r)));
  },
};
