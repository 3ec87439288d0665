import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext } from '#local/lambda-context';
import { ForbiddenError } from '#shared/fhir/operation-outcome';
import { fhirMiddleware } from '#shared/http/fhir-middleware';
import { onMetric } from '#shared/observability/powertools';
import { FHIR_BASE_PATH } from '#shared/service/routes';

const readEvent = (headers: Record<string, string> = {}) =>
  ({
    httpMethod: 'GET',
    resource: `${FHIR_BASE_PATH}/{type}/{id}`,
    path: `${FHIR_BASE_PATH}/Patient/9990000018`,
    headers,
    requestContext: { requestId: 'req-1' },
  }) as unknown as APIGatewayProxyEvent;

describe('interaction metrics', () => {
  let heard: string[];
  let stop: () => void;
  beforeEach(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    heard = [];
    stop = onMetric((name, value) => heard.push(`${name}=${value}`));
  });
  afterEach(() => stop());

  it('counts a response of an interaction', async () => {
    const handler = fhirMiddleware(async () => ({ statusCode: 200, body: '{}' }));

    await handler(readEvent(), lambdaContext('fhir', 5));

    expect(heard).toEqual(['Responses=1']);
  });

  it('counts a refusal by the access rules as an access denial', async () => {
    const handler = fhirMiddleware(async () => {
      throw new ForbiddenError('No relationship');
    });

    const response = await handler(readEvent(), lambdaContext('fhir', 5));

    expect(response.statusCode).toBe(403);
    expect(heard).toEqual(['Responses=1', 'AccessDenied=1']);
  });

  it('counts an allowed break-glass request, and not a refused one', async () => {
    const allowed = fhirMiddleware(async () => ({ statusCode: 200, body: '{}' }));
    const refused = fhirMiddleware(async () => {
      throw new ForbiddenError('Not even with break-glass');
    });
    const breakGlass = { 'NHSD-Purpose-Of-Use': 'ETREAT', 'NHSD-Break-Glass-Reason': 'Unconscious in ED' };

    await allowed(readEvent(breakGlass), lambdaContext('fhir', 5));
    await refused(readEvent(breakGlass), lambdaContext('fhir', 5));

    expect(heard.filter((h) => h.startsWith('BreakGlass'))).toEqual(['BreakGlass=1']);
  });
});
