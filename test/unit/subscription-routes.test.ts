import { describe, expect, it } from 'vitest';
import { matchRoute } from '#local/route-matcher';
import { FHIR_BASE_PATH, routes } from '#shared/service/routes';

const base = FHIR_BASE_PATH;

describe('Subscription routes', () => {
  it.each([
    ['POST', `${base}/Subscription`, 'create'],
    ['GET', `${base}/Subscription`, 'search-type'],
    ['GET', `${base}/Subscription/abc`, 'read'],
    ['DELETE', `${base}/Subscription/abc`, 'delete'],
    ['GET', `${base}/Subscription/abc/$status`, 'status'],
    ['GET', `${base}/Subscription/$status`, 'status-type'],
    ['PUT', `${base}/Subscription/abc`, 'method-not-allowed'],
  ])(
    'send %s %s to the subscriptions function (%s), ahead of the generic {type} routes',
    (method, path, interaction) => {
      const match = matchRoute(method, path);

      expect(match?.route).toMatchObject({ function: 'subscriptions', interaction });
    },
  );

  it('leave every other type to the FHIR function', () => {
    expect(matchRoute('GET', `${base}/Condition/abc`)?.route.function).toBe('fhir');
    expect(matchRoute('POST', `${base}/Task`)?.route.function).toBe('fhir');
  });

  it("cover every path the generic routes offer, since API Gateway never falls back from the literal 'Subscription'", () => {
    const generic = routes
      .filter((r) => r.path.startsWith(`${base}/{type}`))
      .map((r) => `${r.method} ${r.path.replace(`${base}/{type}`, '').replace('{id}', 'ID')}`);
    const subscription = routes
      .filter((r) => r.path.startsWith(`${base}/Subscription`))
      .map((r) => `${r.method} ${r.path.replace(`${base}/Subscription`, '').replace('{id}', 'ID')}`);

    expect(subscription).toEqual(expect.arrayContaining(generic));
  });
});
