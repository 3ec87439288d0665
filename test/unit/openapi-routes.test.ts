import { describe, expect, it } from 'vitest';
import { matchRoute } from '#local/route-matcher';
import { searchParameters } from '#shared/fhir/definitions/search-parameters';
import { openApiDocument } from '#shared/openapi/openapi-document';
import { resourceType } from '#shared/service/resource-types';
import { FHIR_BASE_PATH, type RouteDefinition, routes } from '#shared/service/routes';
import { EVENTS_PARAMETERS } from '#shared/subscriptions/events-operation';
import {
  SUBSCRIPTION_SEARCH_PARAMETERS,
  SUBSCRIPTION_STATUS_PARAMETERS,
} from '#shared/subscriptions/subscription-search';

const document = openApiDocument({ serverUrl: 'http://localhost:3000' });
type Operation = { summary?: string; parameters?: { name?: string; in?: string; $ref?: string }[] };
const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, op]) => ({
    path,
    method: method.toUpperCase(),
    op,
  })),
);
/** A request path the template stands for: each `{param}` filled with a sample segment. */
const concrete = (template: string) => template.replace(/\{[^}]+\}/g, 'sample-1');
/** The query parameters an operation lists, its own and the shared ones it refers to. */
function queryParameters(op: Operation): string[] {
  const shared = document.components?.parameters as Record<string, { name: string; in: string }>;
  return (op.parameters ?? [])
    .map((p) => (p.$ref ? shared[p.$ref.split('/').at(-1) as string] : p))
    .filter((p) => p?.in === 'query')
    .map((p) => p?.name as string);
}

/** A `{type}` route declared again under a literal type (`Patient/{id}`, for API Gateway) stands for its `{type}` route. */
const genericPath = (route?: RouteDefinition) =>
  route?.type ? route.path.replace(`/${route.type}`, '/{type}') : route?.path;

describe('the OpenAPI document lists only what the server does', () => {
  it('maps every path and method it lists to a route that serves it, never to one that only refuses', () => {
    expect(operations.length).toBeGreaterThan(20);
    for (const { path, method } of operations) {
      const match = matchRoute(method, concrete(path));
      expect(match, `${method} ${path}`).toBeDefined();
      expect(match?.route.interaction, `${method} ${path}`).not.toBe('method-not-allowed');
      const type = match?.route.type ?? match?.pathParameters.type;
      if (
        match &&
        type &&
        ['read', 'vread', 'update', 'delete', 'create', 'search-type'].includes(match.route.interaction)
      ) {
        const served: readonly string[] = resourceType(type)?.interactions ?? [];
        expect(served, `${method} ${path}`).toContain(
          match.route.interaction === 'vread' ? 'vread' : match.route.interaction,
        );
      }
    }
  });

  it("lists every route of the supplier API, and none of the viewer's browser pages but its launch", () => {
    const listed = new Set(
      operations.map(
        ({ path, method }) => `${method} ${genericPath(matchRoute(method, concrete(path))?.route)}`,
      ),
    );
    const api = routes.filter(
      (r) =>
        r.interaction !== 'method-not-allowed' &&
        (r.function !== 'viewer' || r.interaction === 'launch') &&
        r.type === undefined,
    );
    for (const route of api) {
      expect(listed, `${route.method} ${route.path}`).toContain(`${route.method} ${route.path}`);
    }
    expect(listed).toContain('POST /viewer/launch');
    expect([...listed].filter((l) => l.includes('/viewer/') && l !== 'POST /viewer/launch')).toEqual([]);
  });

  it('leaves out what Subscription refuses: update, history, $everything', () => {
    const listed = operations.map(({ path, method }) => `${method} ${path}`);
    expect(listed).not.toContain(`PUT ${FHIR_BASE_PATH}/Subscription/{id}`);
    expect(listed).not.toContain(`GET ${FHIR_BASE_PATH}/Subscription/{id}/$everything`);
    expect(listed).not.toContain(`GET ${FHIR_BASE_PATH}/Subscription/{id}/_history`);
    expect(listed).not.toContain('GET /oauth2/token');
  });

  it('lists exactly the query parameters each search and operation takes', () => {
    for (const { path, method, op } of operations) {
      const match = matchRoute(method, concrete(path));
      const route = match?.route;
      if (!route || method !== 'GET') continue;
      const listed = queryParameters(op).sort();
      let taken: string[] | undefined;
      if (route.function === 'subscriptions' && route.interaction === 'search-type') {
        taken = [...SUBSCRIPTION_SEARCH_PARAMETERS];
      } else if (route.interaction === 'status-type') {
        taken = [...SUBSCRIPTION_STATUS_PARAMETERS];
      } else if (route.interaction === 'events') {
        taken = [...EVENTS_PARAMETERS];
      } else if (route.interaction === 'search-type') {
        const type = (match.route.type ?? match.pathParameters.type) as string;
        taken = [...searchParameters(type).map((p) => p.name), '_count', '_sort'];
      }
      if (taken) expect(listed, `${method} ${path}`).toEqual([...new Set(taken)].sort());
    }
  });

  it('gives every operation a summary in words, with the right article', () => {
    for (const { path, method, op } of operations) {
      expect(op.summary, `${method} ${path}`).toMatch(/ /);
      expect(op.summary, `${method} ${path}`).not.toMatch(/\ba [AEIOU]/);
    }
  });

  it('describes resources from the R4 definitions, not stubs', () => {
    const schemas = document.components?.schemas as Record<
      string,
      { properties: Record<string, unknown>; required?: string[] }
    >;
    expect(Object.keys(schemas.AllergyIntolerance?.properties ?? {})).toEqual(
      expect.arrayContaining(['clinicalStatus', 'code', 'patient', 'onsetDateTime', 'reaction']),
    );
    expect(schemas.AllergyIntolerance?.required).toContain('patient');
    expect(schemas.Flag?.required).toEqual(expect.arrayContaining(['status', 'code', 'subject']));
  });
});
