import type { APIGatewayProxyResult } from 'aws-lambda';
import type { AnyHandler } from '#local/function-loader';
import { lambdaContext } from '#local/lambda-context';
import { functions } from '#shared/service/functions';
import { type BenchRequest, proxyEvent } from './proxy-event.ts';

/** The FHIR function called in this process as Lambda would call it, with a verified caller's context. */
export class InProcessApi {
  constructor(
    private readonly handler: AnyHandler,
    private readonly authorizer: Record<string, string>,
    private readonly host: string,
  ) {}

  /** Invokes the handler with the request's proxy event. */
  invoke(request: BenchRequest): Promise<APIGatewayProxyResult> {
    return this.handler(
      proxyEvent(request, this.authorizer, this.host),
      lambdaContext('fhir', functions.fhir.timeoutSeconds),
    );
  }

  /** Invokes and insists on the status expected, returning the parsed body and the version from the ETag. */
  async expect(
    request: BenchRequest,
    status: number,
  ): Promise<{ body: Record<string, unknown>; version?: string }> {
    const result = await this.invoke(request);
    if (result.statusCode !== status) {
      throw new Error(
        `${request.method} ${request.path}: ${result.statusCode} (expected ${status}) ${result.body.slice(0, 500)}`,
      );
    }
    const etag = String(result.headers?.ETag ?? result.headers?.etag ?? '');
    return {
      body: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {},
      version: /W\/"(\d+)"/.exec(etag)?.[1],
    };
  }
}

/** The authorizer's verdict on a token, as API Gateway passes it on: the caller's context and principal. */
export async function authorizerContext(
  authorizer: AnyHandler,
  token: string,
): Promise<Record<string, string>> {
  const result = await authorizer(
    {
      type: 'TOKEN',
      authorizationToken: `Bearer ${token}`,
      methodArn: 'arn:aws:execute-api:eu-west-2:000000000000:bench/bench/GET/FHIR/R4/metadata',
    },
    lambdaContext('authorizer', functions.authorizer.timeoutSeconds),
  );
  return { ...result.context, principalId: result.principalId };
}
