import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { proxyEvent as sandboxProxyEvent } from '#local/proxy-event';
import { matchRoute } from '#local/route-matcher';

/** An HTTP request as a supplier system sends it. */
export interface BenchRequest {
  method: string;
  /** Path and query, from the host: `/FHIR/R4/Patient/9000000009`. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** The API Gateway REST (Lambda proxy) event for a request, built by the sandbox gateway's own builder. */
export function proxyEvent(
  request: BenchRequest,
  authorizer: Record<string, string> | undefined,
  host = 'localhost',
): APIGatewayProxyEvent {
  const url = new URL(request.path, `http://${host}`);
  const match = matchRoute(request.method, url.pathname);
  if (!match) throw new Error(`No route for ${request.method} ${url.pathname}`);
  const body =
    request.body === undefined
      ? undefined
      : Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body));
  const headers: Record<string, string> = {
    Host: host,
    'User-Agent': 'shared-care-record-bench',
    Accept: 'application/fhir+json',
    ...(body ? { 'Content-Type': 'application/fhir+json' } : {}),
    ...request.headers,
  };
  return sandboxProxyEvent(
    {
      method: request.method,
      url,
      headers: Object.entries(headers),
      body,
      host,
      sourceIp: '127.0.0.1',
      protocol: 'HTTP/1.1',
    },
    match,
    { requestId: randomUUID(), stage: 'bench', authorizer },
  );
}
