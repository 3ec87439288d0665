import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AUTHORIZER_CACHE_SECONDS } from '#shared/access/supplier-registry';
import type { FunctionName } from '#shared/service/functions';
import { type GatewayResponseDefinition, gatewayResponseBody } from '#shared/service/gateway-responses';
import { BINARY_MEDIA_TYPES, type RouteDefinition } from '#shared/service/routes';

/** The API's stage, and so the first segment of every URL: `/v1/FHIR/R4/...`. */
export const API_STAGE_NAME = 'v1';

/**
 * How long API Gateway reuses an authorizer decision for the same token: with the registry's own cache, a removed
 * supplier is refused within 60 s; the functions refuse a token past its `exp` whatever the cache
 * (`shared/access/supplier-registry.ts`).
 */
export const AUTHORIZER_CACHE_TTL = Duration.seconds(AUTHORIZER_CACHE_SECONDS);

export interface ServiceApiProps {
  restApiName: string;
  /** The route table (`shared/service/routes.ts`). */
  routes: readonly RouteDefinition[];
  /** What API Gateway answers itself (`shared/service/gateway-responses.ts`). */
  gatewayResponses: readonly GatewayResponseDefinition[];
  functions: Record<FunctionName, lambda.IFunction>;
  /** The token authorizer for `bearer` routes. */
  authorizer: lambda.IFunction;
  accessLogRetentionDays: number;
  logsKey: kms.IKey;
  /**
   * Per-supplier usage plans: `bearer` routes then need an API key, which the authorizer names for the caller
   * (`usageIdentifierKey`), so no supplier ever holds or sends one.
   */
  usagePlans: boolean;
  /** With a custom domain, the default `execute-api` endpoint is off so mutual TLS cannot be bypassed. */
  disableExecuteApiEndpoint: boolean;
}

/**
 * The regional REST API, built from the route table: one resource per path segment, one Lambda proxy
 * method per route, the token authorizer on `bearer` routes, and FHIR OperationOutcome bodies on the
 * responses API Gateway gives itself.
 *
 * The stack adds around it: the regional WAF web ACL on `api.deploymentStage`, the usage plans, and the custom
 * domain with mutual TLS.
 */
export class ServiceApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly tokenAuthorizer: apigateway.TokenAuthorizer;
  readonly accessLogs: logs.LogGroup;
  /** Each route's method, keyed `METHOD path` as in the route table. */
  readonly methods: Record<string, apigateway.Method> = {};

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetentionDays as logs.RetentionDays,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: props.restApiName,
      description: 'Shared care record: FHIR R4 API and OAuth 2.0 token endpoint',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      binaryMediaTypes: BINARY_MEDIA_TYPES,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint,
      // Responses over 1 KB are gzipped for clients that accept it: the viewer's pages and the NHS design system's
      // CSS (278 KB, 30 KB gzipped) come within its 150 KB-a-page budget only so, and FHIR Bundles gain as much.
      minCompressionSize: Size.kibibytes(1),
      ...(props.usagePlans ? { apiKeySourceType: apigateway.ApiKeySourceType.AUTHORIZER } : {}),
      // Execution logging needs the account's API Gateway CloudWatch role; keep it if the stack goes.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: API_STAGE_NAME,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        // Never log request or response bodies: they are patient records.
        dataTraceEnabled: false,
        // A stage-wide ceiling that protects the table; each supplier's usage plan throttles it within this.
        throttlingRateLimit: 100,
        throttlingBurstLimit: 200,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: accessLogFormat(),
      },
    });

    this.tokenAuthorizer = new apigateway.TokenAuthorizer(this, 'TokenAuthorizer', {
      handler: props.authorizer,
      identitySource: apigateway.IdentitySource.header('Authorization'),
      // The authorizer's policy covers the whole API, so a cached decision is right for any route.
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
    });

    const integrations = new Map<FunctionName, apigateway.LambdaIntegration>();
    const integrationFor = (name: FunctionName) => {
      const existing = integrations.get(name);
      if (existing) return existing;
      // One invoke permission per function for this API, not one per method: with the bulk export's routes
      // (and every generic route declared again under the literal Patient) a large ICB's stack went past
      // CloudFormation's 500 resources (test/infra/scale.test.ts). Only this API's own methods can use it.
      const integration = new apigateway.LambdaIntegration(props.functions[name], {
        scopePermissionToMethod: false,
      });
      integrations.set(name, integration);
      return integration;
    };

    for (const route of props.routes) {
      const resource = this.api.root.resourceForPath(route.path);
      const authorization: apigateway.MethodOptions =
        route.auth === 'bearer'
          ? {
              authorizer: this.tokenAuthorizer,
              authorizationType: apigateway.AuthorizationType.CUSTOM,
              apiKeyRequired: props.usagePlans,
            }
          : { authorizationType: apigateway.AuthorizationType.NONE };
      this.methods[`${route.method} ${route.path}`] = resource.addMethod(
        route.method,
        integrationFor(route.function),
        { ...authorization, operationName: route.interaction },
      );
    }

    for (const response of props.gatewayResponses) {
      const body = gatewayResponseBody(response);
      this.api.addGatewayResponse(response.type, {
        type: apigateway.ResponseType.of(response.type),
        statusCode: String(response.statusCode),
        responseHeaders: Object.fromEntries(
          Object.entries({ 'Content-Type': 'application/fhir+json', ...response.headers }).map(
            ([name, value]) => [name, `'${value}'`],
          ),
        ),
        // API Gateway picks the template by content type and falls back to application/json.
        templates: { 'application/json': body, 'application/fhir+json': body },
      });
    }
  }
}

/**
 * One JSON line per request. No query strings or bodies: they carry NHS numbers and clinical content.
 * The authorizer's principal is the client id, which says which supplier system called.
 */
function accessLogFormat(): apigateway.AccessLogFormat {
  const f = apigateway.AccessLogField;
  return apigateway.AccessLogFormat.custom(
    JSON.stringify({
      requestId: f.contextRequestId(),
      extendedRequestId: f.contextExtendedRequestId(),
      requestTime: f.contextRequestTimeEpoch(),
      ip: f.contextIdentitySourceIp(),
      userAgent: f.contextIdentityUserAgent(),
      httpMethod: f.contextHttpMethod(),
      resourcePath: f.contextResourcePath(),
      protocol: f.contextProtocol(),
      status: f.contextStatus(),
      responseLength: f.contextResponseLength(),
      responseLatency: f.contextResponseLatency(),
      integrationLatency: f.contextIntegrationLatency(),
      clientId: f.contextAuthorizerPrincipalId(),
      organisation: f.contextAuthorizer('odsCode'),
      authorizerError: f.contextAuthorizerError(),
      errorMessage: f.contextErrorMessage(),
      xrayTraceId: f.contextXrayTraceId(),
    }),
  );
}
