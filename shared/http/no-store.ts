import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * `Cache-Control: no-store` on every answer of a FHIR function, refusals included: they carry patient data or
 * say something about a patient, and no proxy or browser cache may keep them. Runs outside the error handler,
 * so it sees the final response.
 */
export function noStore(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const set = (response: APIGatewayProxyResult | null | undefined) => {
    if (!response) return;
    response.headers = { ...response.headers, 'Cache-Control': 'no-store' };
  };
  return { after: ({ response }) => set(response), onError: ({ response }) => set(response) };
}
