import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BINARY_MEDIA_TYPES } from '#shared/service/routes';
import type { RouteMatch } from './route-matcher.ts';

// As the stack declares: every media type is binary, so every body is passed base64-encoded.
const ALL_BINARY = BINARY_MEDIA_TYPES.includes('*/*');

/** The parts of an HTTP request an API Gateway proxy event is made from. */
export interface HttpRequestParts {
  method: string;
  url: URL;
  /** Headers as sent, in order, names as written (repeats kept). */
  headers: [name: string, value: string][];
  body: Buffer | undefined;
  host: string;
  sourceIp: string;
  protocol: string;
}

/**
 * The API Gateway REST (Lambda proxy) event for a request that matched a route, as API Gateway builds it: the
 * route template as `resource`, single- and multi-value headers and query parameters (the single-value ones
 * the last of their name, as API Gateway gives them), path parameters, and a body base64-encoded as the API's
 * binary media types (`*\/*`) make it. The sandbox's gateway and the
 * benchmarks both call this.
 */
export function proxyEvent(
  request: HttpRequestParts,
  match: RouteMatch,
  context: { requestId: string; stage: string; authorizer?: Record<string, string> },
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of request.headers) {
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of request.url.searchParams) {
    query[k] = v;
    multiQuery[k] = [...(multiQuery[k] ?? []), v];
  }
  const { body } = request;
  const now = Date.now();
  const resource = match.route.path;
  return {
    resource,
    path: request.url.pathname,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
    pathParameters: Object.keys(match.pathParameters).length ? match.pathParameters : null,
    stageVariables: null,
    body: body ? body.toString(ALL_BINARY ? 'base64' : 'utf8') : null,
    isBase64Encoded: body ? ALL_BINARY : false,
    requestContext: {
      accountId: '000000000000',
      apiId: context.stage,
      authorizer: context.authorizer ? { ...context.authorizer } : undefined,
      domainName: request.host,
      httpMethod: request.method,
      identity: { sourceIp: request.sourceIp } as APIGatewayProxyEvent['requestContext']['identity'],
      path: request.url.pathname,
      protocol: request.protocol,
      requestId: context.requestId,
      requestTime: new Date(now).toUTCString(),
      requestTimeEpoch: now,
      resourceId: context.stage,
      resourcePath: resource,
      stage: context.stage,
    },
  };
}
