import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { capabilityStatement } from '#shared/fhir/capability-statement';
import { ifMatchVersion } from '#shared/fhir/versioning';
import { callerOf } from '#shared/http/caller';
import { fhirMiddleware } from '#shared/http/fhir-middleware';
import { type FhirRequest, fhirRequest } from '#shared/http/fhir-request';
import { fhirRequestBody } from '#shared/http/fhir-request-body';
import { fhirResponse } from '#shared/http/fhir-response';
import { readResource } from '#shared/interactions/read';
import { updateResource } from '#shared/interactions/update';
import { metrics } from '#shared/observability/powertools';

type Interaction = (request: FhirRequest) => Promise<APIGatewayProxyResult>;

const interactions: Record<string, Interaction> = {
  capabilities: async ({ fhirBase }) => fhirResponse(200, capabilityStatement(fhirBase)),

  read: async ({ event, type, id }) => {
    callerOf(event);
    return fhirResponse(200, await readResource(type as string, id as string));
  },

  update: async ({ event, type, id, fhirBase }) => {
    const { resource, created } = await updateResource({
      type: type as string,
      id: id as string,
      body: fhirRequestBody(event),
      ifMatch: ifMatchVersion(event.headers['if-match']),
      caller: callerOf(event),
    });
    const location = `${fhirBase}/${type}/${id}/_history/${resource.meta?.versionId}`;
    return fhirResponse(created ? 201 : 200, resource, created ? { Location: location } : {});
  },
};

/** The FHIR R4 API: dispatches each route of the route table to its interaction. */
export const handler = fhirMiddleware(async (event: APIGatewayProxyEvent) => {
  const request = fhirRequest(event);
  metrics.addDimension('interaction', request.interaction);
  metrics.addMetric('Requests', 'Count', 1);
  const run = interactions[request.interaction];
  if (!run) throw new Error(`No interaction '${request.interaction}' in the FHIR function`);
  return run(request);
});
