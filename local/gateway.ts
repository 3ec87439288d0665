import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayAuthorizerResult, APIGatewayProxyResult } from 'aws-lambda';
import { AUTHORIZER_CACHE_SECONDS } from '#shared/access/supplier-registry';
import { functions } from '#shared/service/functions';
import {
  type GatewayResponseDefinition,
  gatewayResponseBody,
  gatewayResponses,
} from '#shared/service/gateway-responses';
import { loadHandler } from './function-loader.ts';
import { lambdaContext } from './lambda-context.ts';
import { proxyEvent } from './proxy-event.ts';
import { assertionClient } from './request-caller.ts';
import { matchRoute } from './route-matcher.ts';

/** API Gateway's own payload limit for REST APIs. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** As the stack's API Gateway caches the token authorizer's decisions: by token, for the same TTL. */
const AUTHORIZER_CACHE_MS = AUTHORIZER_CACHE_SECONDS * 1000;
const STAGE = 'sandbox';

/** A local page or endpoint served beside the API (health, ops page, docs). */
export type LocalRoute = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

export interface GatewayOptions {
  /** Served before the route table; return true when handled. */
  localRoutes?: LocalRoute[];
  /** Called after every API request, for the sandbox's own metrics. */
  onRequest?: (record: {
    route: string;
    method: string;
    status: number;
    ms: number;
    client?: string;
    organisation?: string;
  }) => void;
}

/**
 * The sandbox's API Gateway: serves every route of the one route table to the real handlers as REST API
 * Lambda-proxy events, running the same token authorizer first (with its decisions cached as API Gateway
 * caches them) and answering the same gateway responses.
 */
export function createGateway(options: GatewayOptions = {}): Server {
  const authorizerCache = new Map<string, { result: APIGatewayAuthorizerResult; until: number }>();

  async function authorize(token: string | undefined, methodArn: string) {
    if (!token) return 'UNAUTHORIZED' as const;
    const cached = authorizerCache.get(token);
    if (cached && cached.until > Date.now()) return cached.result;
    const authorizer = await loadHandler('authorizer');
    try {
      const result: APIGatewayAuthorizerResult = await authorizer(
        { type: 'TOKEN', authorizationToken: token, methodArn },
        lambdaContext('authorizer', functions.authorizer.timeoutSeconds),
      );
      authorizerCache.set(token, { result, until: Date.now() + AUTHORIZER_CACHE_MS });
      return result;
    } catch {
      return 'UNAUTHORIZED' as const;
    }
  }

  return createServer(async (req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const requestId = randomUUID();
    // Every answer the gateway gives counts for the ops page, its own refusals included, as API Gateway's do.
    let route = `${method} (no route)`;
    // Who asked, for the ops page's per-client and per-organisation figures.
    let client: string | undefined;
    let organisation: string | undefined;
    const record = (status: number) =>
      options.onRequest?.({
        route,
        method,
        status,
        ms: performance.now() - started,
        ...(client ? { client } : {}),
        ...(organisation ? { organisation } : {}),
      });
    const refuse = (type: GatewayResponseDefinition['type']) => record(sendGatewayResponse(res, type));
    try {
      for (const local of options.localRoutes ?? []) if (await local(req, res)) return;
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!percentDecodable(url)) return refuse('BAD_REQUEST_PARAMETERS');
      const match = matchRoute(method, url.pathname);
      if (!match) return refuse('MISSING_AUTHENTICATION_TOKEN');
      route = `${method} ${match.route.path}`;
      const body = await readBody(req);
      if (body === 'too-large') return refuse('REQUEST_TOO_LARGE');
      if (match.route.interaction === 'token') client = assertionClient(body?.toString('utf8'));

      const rawHeaders: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        rawHeaders.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string]);
      }
      const event = proxyEvent(
        {
          method,
          url,
          headers: rawHeaders,
          body,
          host: req.headers.host ?? 'localhost',
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          protocol: `HTTP/${req.httpVersion}`,
        },
        match,
        { requestId, stage: STAGE },
      );
      if (match.route.auth === 'bearer') {
        const methodArn = `arn:aws:execute-api:eu-west-2:000000000000:sandbox/${STAGE}/${method}${url.pathname}`;
        const decision = await authorize(
          event.headers.Authorization ?? event.headers.authorization,
          methodArn,
        );
        if (decision === 'UNAUTHORIZED') return refuse('UNAUTHORIZED');
        if (decision.policyDocument.Statement.some((s) => s.Effect === 'Deny')) {
          return refuse('ACCESS_DENIED');
        }
        event.requestContext.authorizer = { ...decision.context, principalId: decision.principalId };
        client = decision.principalId;
        const named =
          event.headers['NHSD-End-User-Organisation-ODS'] ?? event.headers['nhsd-end-user-organisation-ods'];
        // Only an ODS-shaped header is counted: the text is the caller's, not yet checked.
        organisation =
          named && /^[A-Z0-9]{3,10}$/i.test(named)
            ? named.toUpperCase()
            : // A client acting for one organisation need not name it: that one (CONTRACT §2).
              String(decision.context?.organisations ?? '').split(' ')[0];
      }
      const handler = await loadHandler(match.route.function);
      const { timeoutSeconds } = functions[match.route.function];
      const result: APIGatewayProxyResult = await handler(
        event,
        lambdaContext(match.route.function, timeoutSeconds),
      );
      sendResult(res, result);
      record(result.statusCode);
    } catch (e) {
      // API Gateway answers a failed Lambda invocation with a bare 502.
      console.error(
        JSON.stringify({
          level: 'ERROR',
          message: 'Sandbox gateway: handler failed',
          requestId,
          route,
          error: String(e),
        }),
      );
      if (!res.headersSent) {
        res.writeHead(502, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: 'Internal server error' }));
      }
      record(502);
    }
  });
}

/**
 * True when every path segment and query name and value percent-decodes to UTF-8. A malformed escape
 * (`%E0%A4%A`) or bytes that are not UTF-8 (`%FF%FE`) would otherwise fail deep in routing, or reach a handler as
 * replacement characters.
 */
function percentDecodable(url: URL): boolean {
  const parts = [
    ...url.pathname.split('/'),
    ...url.search
      .slice(1)
      .split('&')
      .flatMap((pair) => pair.replaceAll('+', ' ').split('=')),
  ];
  try {
    for (const part of parts) decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_PAYLOAD_BYTES) resolve('too-large');
      else resolve(size === 0 ? undefined : Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function sendResult(res: ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    headers[name] = values.map(String);
  res.writeHead(result.statusCode, headers);
  res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

/** Answers as API Gateway's gateway response of `type` does; returns the status sent. */
function sendGatewayResponse(res: ServerResponse, type: GatewayResponseDefinition['type']): number {
  const definition = gatewayResponses.find((r) => r.type === type) as GatewayResponseDefinition;
  res.writeHead(definition.statusCode, {
    'Content-Type': 'application/fhir+json',
    ...definition.headers,
  });
  res.end(gatewayResponseBody(definition));
  return definition.statusCode;
}
