import type { Resource } from '@medplum/fhirtypes';
import type { APIGatewayProxyResult } from 'aws-lambda';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** A FHIR JSON response; a resource with `meta.versionId` also gets its `ETag` and `Last-Modified`. */
export function fhirResponse(
  statusCode: number,
  body: Resource,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  const versioned: Record<string, string> = {};
  if (body.meta?.versionId) versioned.ETag = `W/"${body.meta.versionId}"`;
  if (body.meta?.lastUpdated) versioned['Last-Modified'] = new Date(body.meta.lastUpdated).toUTCString();
  return {
    statusCode,
    headers: { 'Content-Type': FHIR_JSON, ...versioned, ...headers },
    body: JSON.stringify(body),
  };
}
