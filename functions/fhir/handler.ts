import type { APIGatewayProxyEvent } from 'aws-lambda';
import { fhirMiddleware } from '#shared/http/fhir-middleware';
import { fhirRequest } from '#shared/http/fhir-request';
import { interactions } from './interactions.ts';

/** The FHIR R4 API: dispatches each route of the route table to its interaction. */
export const handler = fhirMiddleware(async (event: APIGatewayProxyEvent) => {
  const request = fhirRequest(event);
  const run = interactions[request.interaction];
  if (!run) throw new Error(`No interaction '${request.interaction}' in the FHIR function`);
  return run(request);
});
