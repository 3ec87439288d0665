import type { APIGatewayProxyEvent } from 'aws-lambda';
import { NotFoundError } from '../fhir/operation-outcome.ts';
import { FHIR_BASE_PATH, routeFor } from '../service/routes.ts';
import { publicBaseUrl } from './public-url.ts';

/** A FHIR request as the interactions see it: the route's interaction and the parts of the URL it names. */
export interface FhirRequest {
  interaction: string;
  type?: string;
  id?: string;
  /** The FHIR base URL callers use, for `Location` and `fullUrl`. */
  fhirBase: string;
  event: APIGatewayProxyEvent;
}

/** Parses an API Gateway event (headers already normalised) into a FhirRequest, by the one route table. */
export function fhirRequest(event: APIGatewayProxyEvent): FhirRequest {
  const route = routeFor(event.httpMethod, event.resource);
  if (!route) throw new NotFoundError(`No route for ${event.httpMethod} ${event.resource}`);
  // A route declared under a literal type (`Patient/{id}`) is the `{type}` route for that type: the
  // interactions read the type where the generic route gives it.
  const typed = route.type
    ? { ...event, pathParameters: { ...event.pathParameters, type: route.type } }
    : event;
  return {
    interaction: route.interaction,
    type: typed.pathParameters?.type,
    id: typed.pathParameters?.id,
    fhirBase: `${publicBaseUrl(event)}${FHIR_BASE_PATH}`,
    event: typed,
  };
}
