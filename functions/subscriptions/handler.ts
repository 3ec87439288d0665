import type { APIGatewayProxyEvent } from 'aws-lambda';
import { fhirMiddleware } from '#shared/http/fhir-middleware';
import { fhirRequest } from '#shared/http/fhir-request';
import { metrics } from '#shared/observability/powertools';
import { interactions } from './interactions.ts';

/** The Subscription API (FHIR R4 topic-based subscriptions, backport IG): dispatches each of its routes. */
export const handler = fhirMiddleware(async (event: APIGatewayProxyEvent) => {
  const request = fhirRequest(event);
  metrics.addDimension('interaction', request.interaction);
  metrics.addMetric('Requests', 'Count', 1);
  const run = interactions[request.interaction];
  if (!run) throw new Error(`No interaction '${request.interaction}' in the subscriptions function`);
  return run(request);
});
