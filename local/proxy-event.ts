import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RouteMatch } from './route-matcher.ts';

const TEXT_TYPES =
  /^(application\/(fhir\+)?json|application\/x-www-form-urlencoded|text\/|application\/xml)/i;

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
 * route template as `resource`, single- and multi-value headers and query parameters, path parameters, and a
 * body that is text for JSON, forms, text and XML and base64 for anything else. The sandbox's gateway and the
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
  const text = TEXT_TYPES.test(headers['Content-Type'] ?? headers['content-type'] ?? 'application/json');
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
    body: body ? body.toString(text ? 'utf8' : 'base64') : null,
    isBase64Encoded: body ? !text : false,
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
