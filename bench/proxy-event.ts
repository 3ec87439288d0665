import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { matchRoute } from '#local/route-matcher';

/** An HTTP request as a supplier system sends it. */
export interface BenchRequest {
  method: string;
  /** Path and query, from the host: `/FHIR/R4/Patient/9000000009`. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * The API Gateway REST (Lambda proxy) event for a request, built as the sandbox's gateway builds it
 * (`local/gateway.ts`, whose builder is not exported): the route template from the one route table, path
 * and query parameters (single and multi-value), headers as sent, and the token authorizer's context.
 */
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
      ? null
      : typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body);
  const headers: Record<string, string> = {
    Host: host,
    'User-Agent': 'shared-care-record-bench',
    Accept: 'application/fhir+json',
    ...(body !== null ? { 'Content-Type': 'application/fhir+json' } : {}),
    ...request.headers,
  };
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    query[k] = v;
    multiQuery[k] = [...(multiQuery[k] ?? []), v];
  }
  const now = Date.now();
  return {
    resource: match.route.path,
    path: url.pathname,
    httpMethod: request.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
    pathParameters: Object.keys(match.pathParameters).length ? match.pathParameters : null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      authorizer: authorizer ? { ...authorizer } : undefined,
      domainName: host,
      httpMethod: request.method,
      identity: { sourceIp: '127.0.0.1' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: url.pathname,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTime: new Date(now).toUTCString(),
      requestTimeEpoch: now,
      resourceId: 'bench',
      resourcePath: match.route.path,
      stage: 'bench',
    },
  };
}
