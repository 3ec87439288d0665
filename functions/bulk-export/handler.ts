import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { cancelExport, exportStatus, kickOff } from '#shared/export/bulk-export-operations';
import { fhirMiddleware } from '#shared/http/fhir-middleware';
import { type FhirRequest, fhirRequest } from '#shared/http/fhir-request';

const interactions: Record<string, (request: FhirRequest) => Promise<APIGatewayProxyResult>> = {
  'export-system': kickOff,
  'export-patient': kickOff,
  'export-group': kickOff,
  'export-status': exportStatus,
  'export-cancel': cancelExport,
};

/** FHIR Bulk Data export (CONTRACT §8): kick-off, status polling and cancel, for the ICB's analysts only. */
export const handler = fhirMiddleware(async (event: APIGatewayProxyEvent) => {
  const request = fhirRequest(event);
  const run = interactions[request.interaction];
  if (!run) throw new Error(`No interaction '${request.interaction}' in the bulk-export function`);
  return run(request);
});
