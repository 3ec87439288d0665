import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { OperationOutcomeError, operationOutcome } from '../fhir/operation-outcome.ts';
import { errorSummary } from '../observability/error-summary.ts';
import { logger } from '../observability/powertools.ts';
import { fhirResponse } from './fhir-response.ts';

/**
 * Turns whatever a FHIR handler throws into an OperationOutcome response. Known failures keep their status;
 * anything else is a 500 that says nothing of the cause to the caller and logs the error (never the request).
 */
export function fhirErrorHandler(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      const e = request.error;
      if (e instanceof OperationOutcomeError) {
        logger.info('Request refused', { status: e.status, issueCodes: e.issues.map((i) => i.code) });
        request.response = fhirResponse(e.status, e.outcome, e.headers);
        return;
      }
      logger.error('Unhandled error', { error: errorSummary(e) });
      request.response = fhirResponse(
        500,
        operationOutcome([
          { code: 'exception', diagnostics: 'An unexpected error occurred; it has been logged' },
        ]),
      );
    },
  };
}
