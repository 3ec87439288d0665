import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { OperationOutcomeError } from '../fhir/operation-outcome.ts';
import { fhirErrorHandler } from '../http/fhir-error-handler.ts';
import { errorSummary } from '../observability/error-summary.ts';
import { logger } from '../observability/powertools.ts';
import { routeFor } from '../service/routes.ts';
import { viewerPageHeaders } from './viewer-headers.ts';
import { messagePage } from './viewer-page.ts';
import { viewerUrls } from './viewer-request.ts';

const TITLES: Record<number, string> = {
  400: 'This request could not be used',
  401: 'Your session has ended',
  403: 'You cannot see this record',
  404: 'Not found',
  409: 'This changed while you were looking',
  412: 'This changed while you were looking',
};

/**
 * Answers the viewer's failures: the launch (a supplier system's FHIR call) with an OperationOutcome, and a
 * person's page with an NHS-styled page that says what happened and nothing of the cause of a 500.
 */
export function viewerErrorHandler(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const fhir = fhirErrorHandler();
  return {
    onError: async (request) => {
      const { event } = request;
      if (routeFor(event.httpMethod, event.resource)?.interaction === 'launch')
        return fhir.onError?.(request);
      const e = request.error;
      const known = e instanceof OperationOutcomeError;
      const status = known ? e.status : 500;
      if (known) logger.info('Viewer request refused', { status });
      else logger.error('Unhandled error', { error: errorSummary(e) });
      const text = known
        ? (e.issues[0]?.diagnostics ?? 'The request was refused')
        : 'Something went wrong. It has been logged; try again, or open the record again from your system.';
      request.response = {
        statusCode: status,
        headers: viewerPageHeaders(),
        body: messagePage(viewerUrls(event).viewerBase, TITLES[status] ?? 'Something went wrong', text),
      };
    },
  };
}
