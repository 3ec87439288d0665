import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { binaryDownloadUrl } from '#shared/documents/binary-download';
import { requestUploadUrl } from '#shared/documents/upload-url';
import { fhirMiddleware } from '#shared/http/fhir-middleware';
import { type FhirRequest, fhirRequest } from '#shared/http/fhir-request';
import { fhirRequestBody } from '#shared/http/fhir-request-body';
import { fhirResponse } from '#shared/http/fhir-response';
import { requestContext } from '#shared/http/request-context';
import { metrics } from '#shared/observability/powertools';

const interactions: Record<string, (request: FhirRequest) => Promise<APIGatewayProxyResult>> = {
  'upload-url': async (r) =>
    fhirResponse(200, await requestUploadUrl(fhirRequestBody(r.event), requestContext(r.event, r.fhirBase))),

  // A redirect rather than the bytes: Lambda answers at most 6 MB, and S3 serves a document far better.
  'binary-read': async (r) => ({
    statusCode: 302,
    headers: {
      Location: await binaryDownloadUrl(r.id as string, requestContext(r.event, r.fhirBase)),
      'Cache-Control': 'no-store',
    },
    body: '',
  }),
};

/** Stored documents (CONTRACT §6): presigned uploads, and downloads of a Binary under its DocumentReference's rules. */
export const handler = fhirMiddleware(async (event: APIGatewayProxyEvent) => {
  const request = fhirRequest(event);
  metrics.addDimension('interaction', request.interaction);
  metrics.addMetric('Requests', 'Count', 1);
  const run = interactions[request.interaction];
  if (!run) throw new Error(`No interaction '${request.interaction}' in the documents function`);
  return run(request);
});
