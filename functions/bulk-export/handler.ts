import type { APIGatewayProxyEvent } from 'aws-lambda';
import { NotFoundError } from '#shared/fhir/operation-outcome';
import { fhirMiddleware } from '#shared/http/fhir-middleware';
import { fhirRequest } from '#shared/http/fhir-request';

/** FHIR Bulk Data export (CONTRACT §8): kick-off, status and cancel. */
export const handler = fhirMiddleware(async (event: APIGatewayProxyEvent) => {
  const request = fhirRequest(event);
  throw new NotFoundError(`${request.interaction} is not built yet`);
});
