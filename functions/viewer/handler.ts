import type { APIGatewayProxyEvent } from 'aws-lambda';
import { NotFoundError } from '#shared/fhir/operation-outcome';
import { routeFor } from '#shared/service/routes';
import { viewerMiddleware } from '#shared/viewer/viewer-middleware';
import { pages } from './pages.ts';

/** The point-of-care viewer (CONTRACT §7): the launch call, and the pages a person's browser asks for. */
export const handler = viewerMiddleware(async (event: APIGatewayProxyEvent) => {
  const route = routeFor(event.httpMethod, event.resource);
  const run = route && pages[route.interaction];
  if (!run) throw new NotFoundError(`No viewer page for ${event.httpMethod} ${event.resource}`);
  return run(event);
});
