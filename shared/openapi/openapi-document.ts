import type { OpenAPIV3_1 } from 'openapi-types';
import { EXPORT_PARAMETERS } from '../export/export-request.ts';
import { searchParameters } from '../fhir/definitions/search-parameters.ts';
import { type ResourceTypeDefinition, resourceTypes as resourceTable } from '../service/resource-types.ts';
import { FHIR_BASE_PATH, type RouteDefinition, routes as routeTable } from '../service/routes.ts';
import { EVENTS_PARAMETERS } from '../subscriptions/events-operation.ts';
import {
  SUBSCRIPTION_SEARCH_PARAMETERS,
  SUBSCRIPTION_STATUS_PARAMETERS,
} from '../subscriptions/subscription-search.ts';
import { fhirSchemas } from './fhir-schemas.ts';
import { relationshipsGuide } from './relationships-guide.ts';
import { type ExampleRequest, type WorkedExample, workedExamples } from './worked-examples.ts';

type Operation = OpenAPIV3_1.OperationObject;
type Parameter = OpenAPIV3_1.ReferenceObject | OpenAPIV3_1.ParameterObject;

export interface OpenApiOptions {
  /** Where the API is served from (`http://localhost:3000`, `https://fhir.example-icb.nhs.uk`). */
  serverUrl: string;
  version?: string;
  /** The route table and resource types, for tests; the service's own by default. */
  routes?: readonly RouteDefinition[];
  resourceTypes?: Record<string, ResourceTypeDefinition>;
}

const FHIR_JSON = 'application/fhir+json';
const ref = (kind: 'schemas' | 'parameters' | 'responses', name: string) => ({
  $ref: `#/components/${kind}/${name}`,
});

/** What each interaction does, for its summary; `{type}` is the resource type. */
const summaries: Record<string, string> = {
  token: 'Exchange a signed client assertion for an access token',
  jwks: "The service's public keys (JWKS), to verify the tokens it signs",
  capabilities: 'The CapabilityStatement: types, interactions, search parameters and operations supported',
  transaction: 'A transaction (atomic, up to 50 entries) or batch (up to 200 entries) Bundle',
  create: 'Create {a type}',
  'search-type': 'Search {type} resources',
  validate: 'Validate {a type} without storing it',
  read: 'Read {a type}',
  update: 'Update {a type} (If-Match the version read)',
  delete: 'Delete {a type}',
  'history-instance': "{The type}'s versions",
  vread: 'Read one version of {a type}',
  everything: "The patient's joined-up record",
  document:
    'A structured letter as a whole: a document Bundle of the Composition and what its sections reference',
  'current-medications':
    'What the patient currently takes: one entry per medicine, from every statement, active prescription and recent dispensing, each source named',
  status: "A subscription's delivery status and last event number",
  'status-type': 'The delivery status of your subscriptions',
  events: 'The notifications of the last 7 days, by event number, to catch up after downtime',
  'upload-url': 'A presigned upload URL for a document of up to 100 MB',
  'binary-read': "A stored document's bytes (a redirect to a presigned URL)",
  'safeguarding-value-set': "The deployment's safeguarding codes: a Flag with one raises an alert",
  'export-system':
    'Bulk Data export of the whole region (analysts only): pseudonymised NDJSON, national data opt-outs left out',
  'export-patient':
    "Bulk Data export of every patient's record (analysts only): pseudonymised NDJSON, national data opt-outs left out",
  'export-group': 'Bulk Data export of a group of patients (analysts only)',
  'export-status': "A bulk export's progress (202) or its manifest of presigned NDJSON file URLs (200)",
  'export-cancel': 'Cancel a bulk export and delete its files',
  launch: 'Open the point-of-care viewer for a person and a patient: a single-use URL valid for 60 seconds',
};

/** `{a type}` → "an AllergyIntolerance" / "a Patient"; `{type}`, `{The type}` likewise. */
function summaryFor(interaction: string, type = 'resource'): string {
  const article = /^[AEIOU]/i.test(type) ? 'an' : 'a';
  const template = summaries[interaction];
  if (!template) throw new Error(`No OpenAPI summary for the interaction '${interaction}'`);
  return template
    .replace('{a type}', `${article} ${type}`)
    .replace('{The type}', `${article === 'an' ? 'An' : 'A'} ${type}`)
    .replace('{type}', type);
}

/** Routes that exist only to refuse a method with 405: not something the API offers. */
const refusesOnly = (route: RouteDefinition) => route.interaction === 'method-not-allowed';
/** A `{type}` route declared again under a literal type for API Gateway: documented as its `{type}` route. */
const restatesGeneric = (route: RouteDefinition) => route.type !== undefined;
/** The viewer's pages answer people in a browser, not supplier systems: of the viewer, only the launch is API. */
const browserPage = (route: RouteDefinition) => route.function === 'viewer' && route.interaction !== 'launch';

/** Which interactions of the resource-type table a route's interaction needs, to expand `{type}` to a type. */
function servesType(interaction: string, type: string, definition: ResourceTypeDefinition): boolean {
  const interactions: readonly string[] = definition.interactions;
  if (interaction === 'validate') return interactions.includes('create') || interactions.includes('update');
  if (interaction === 'everything' || interaction === 'current-medications') return type === 'Patient';
  if (interaction === 'document') return type === 'Composition';
  return interactions.includes(interaction);
}

/**
 * The OpenAPI 3.1 document of the API, generated from the route table, the resource-type table and the R4
 * search parameters: a route with `{type}` becomes one operation per type that supports its interaction (a
 * route naming the type itself wins), with that type's search parameters. The worked examples are its
 * introduction and the examples of the operations they use.
 *
 * @example openApiDocument({ serverUrl: 'http://localhost:3000' }).paths['/FHIR/R4/Patient/{id}']
 */
export function openApiDocument(options: OpenApiOptions): OpenAPIV3_1.Document {
  const routes = options.routes ?? routeTable;
  const types = options.resourceTypes ?? resourceTable;
  const examples = workedExamples();
  const literal = new Set(
    routes
      .filter((r) => !r.path.includes('{type}') && !restatesGeneric(r))
      .map((r) => `${r.method} ${r.path}`),
  );
  // Types with routes of their own (Subscription) are documented beside those of the resource-type table.
  const documented = [
    ...new Set([...Object.keys(types), ...routes.flatMap((r) => typeOfPath(r.path) ?? [])]),
  ];
  const paths: OpenAPIV3_1.PathsObject = {};

  for (const route of routes.filter((r) => !refusesOnly(r) && !browserPage(r) && !restatesGeneric(r))) {
    const expansions = route.path.includes('{type}')
      ? Object.entries(types)
          .filter(([type, definition]) => servesType(route.interaction, type, definition))
          .map(([type]) => ({ type, path: route.path.replace('{type}', type) }))
          .filter(({ path }) => !literal.has(`${route.method} ${path}`))
      : [{ type: typeOfPath(route.path), path: route.path }];
    for (const { type, path } of expansions) {
      const example = examples
        .flatMap((e) => (e.requests ?? []).map((request) => ({ ...e, request })))
        .find((e) => e.request.method === route.method && matchesPath(e.request.path, path));
      paths[path] ??= {};
      (paths[path] as Record<string, Operation>)[route.method.toLowerCase()] = operation(
        route,
        path,
        type,
        example,
      );
    }
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Shared Care Record: FHIR R4 API',
      version: options.version ?? '0.1.0',
      summary: "One FHIR R4 record per patient, shared by an integrated care board's care providers",
      description: introduction(examples),
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: options.serverUrl }],
    externalDocs: { description: 'FHIR R4', url: 'https://hl7.org/fhir/R4/' },
    tags: [
      { name: 'Authentication', description: 'NHS application-restricted access with a signed JWT' },
      { name: 'System', description: 'The CapabilityStatement and transaction or batch Bundles' },
      ...documented.map((name) => ({
        name,
        externalDocs: { url: `https://hl7.org/fhir/R4/${name.toLowerCase()}.html` },
      })),
    ],
    paths,
    components: components(documented),
  };
}

/** The resource type a route without `{type}` names (`/FHIR/R4/Subscription/{id}`: Subscription), if any. */
function typeOfPath(path: string): string | undefined {
  const [first = ''] = path.startsWith(`${FHIR_BASE_PATH}/`)
    ? path.slice(FHIR_BASE_PATH.length + 1).split('/')
    : [];
  return /^[A-Z][A-Za-z]+$/.test(first) ? first : undefined;
}

/** True when a concrete request path is served by a path template (`{id}` matches one segment). */
function matchesPath(concrete: string, template: string): boolean {
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(concrete);
}

function operation(
  route: RouteDefinition,
  path: string,
  type: string | undefined,
  example?: WorkedExample & { request: ExampleRequest },
): Operation {
  const summary = summaryFor(route.interaction, type);
  const system = route.interaction === 'transaction' || route.interaction === 'capabilities';
  const op: Operation = {
    operationId: `${route.interaction}${type ? `-${type}` : ''}${path.endsWith('/_search') ? '-post' : ''}`,
    summary,
    tags: [route.function === 'oauth' ? 'Authentication' : system || !type ? 'System' : type],
    parameters: parameters(route, path, type),
    responses: responses(route, type),
    ...(route.auth === 'bearer' ? { security: [{ bearer: [] }] } : { security: [] }),
  };
  const body = requestBody(route, type, example);
  if (body) op.requestBody = body;
  if (example) {
    op.description = `**Worked example: ${example.title}.** ${example.explanation.split('\n\n')[0]}`;
  }
  return op;
}

function parameters(route: RouteDefinition, path: string, type: string | undefined): Parameter[] {
  const list: Parameter[] = [];
  for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
    list.push({
      name: name as string,
      in: 'path',
      required: true,
      schema:
        name === 'id' && type === 'Patient'
          ? { type: 'string', pattern: '^\\d{10}$', description: 'The NHS number' }
          : { type: 'string', pattern: '^[A-Za-z0-9\\-.]{1,64}$' },
    });
  }
  if (route.function === 'oauth') return list;
  list.push(ref('parameters', 'X-Request-ID'), ref('parameters', 'X-Correlation-ID'));
  if (route.auth === 'bearer') {
    list.push(
      ref('parameters', 'NHSD-End-User-Id'),
      ref('parameters', 'NHSD-Purpose-Of-Use'),
      ref('parameters', 'NHSD-Break-Glass-Reason'),
    );
  }
  if (route.interaction === 'update') list.push(ref('parameters', 'If-Match'));
  if (route.interaction === 'create') list.push(ref('parameters', 'If-None-Exist'));
  if (route.interaction === 'search-type' && route.method === 'GET' && type) {
    list.push(
      ref('parameters', 'Prefer'),
      ...(route.function === 'subscriptions'
        ? namedQuery(SUBSCRIPTION_SEARCH_PARAMETERS, {
            status: 'Only subscriptions in this status (active, error, off)',
            _count: 'Page size, at most 100',
          })
        : searchQuery(type)),
    );
  }
  if (route.interaction === 'status-type') {
    list.push(
      ...namedQuery(SUBSCRIPTION_STATUS_PARAMETERS, {
        id: 'Only these subscription ids, comma-separated',
        status: 'Only subscriptions in this status',
      }),
    );
  }
  if (route.interaction === 'events') {
    list.push(
      ...namedQuery(EVENTS_PARAMETERS, {
        eventsSinceNumber: 'The first event number wanted (inclusive)',
        eventsUntilNumber: 'The last event number wanted (inclusive)',
      }),
    );
  }
  if (
    route.interaction.startsWith('export-') &&
    route.interaction !== 'export-status' &&
    route.interaction !== 'export-cancel'
  ) {
    list.push(
      {
        name: 'Prefer',
        in: 'header',
        required: true,
        schema: { type: 'string', enum: ['respond-async'] },
        description: 'Required: the export runs in the background',
      },
      ...namedQuery(EXPORT_PARAMETERS, {
        _type: 'Only these types, comma-separated',
        _since: 'Only resources changed after this instant',
        _outputFormat: 'application/fhir+ndjson (the default), application/ndjson or ndjson',
        _typeFilter: 'Not supported: answered 400',
        _identified: '`true` for an identified export, only with a purpose the deployment lists',
        purpose: 'The listed purpose of an identified export',
      }),
    );
  }
  if (route.interaction === 'everything') {
    list.push(
      {
        name: '_type',
        in: 'query',
        schema: { type: 'string' },
        description: 'Only these types, comma-separated',
      },
      {
        name: '_since',
        in: 'query',
        schema: { type: 'string', format: 'date-time' },
        description: 'Changed since',
      },
      ref('parameters', '_count'),
    );
  }
  return list;
}

/** A type's search parameters, as R4 defines them and the server evaluates them, plus paging and sorting. */
function searchQuery(type: string): Parameter[] {
  const own = searchParameters(type).map(
    (p): OpenAPIV3_1.ParameterObject => ({
      name: p.name,
      in: 'query',
      description: `${p.type} parameter over \`${p.expression}\`${p.type === 'date' ? ' (prefixes eq, ge, gt, le, lt)' : ''}`,
      schema: { type: 'string' },
      ...(p.name === 'identifier' ? { example: 'https://fhir.nhs.uk/Id/nhs-number|9990000018' } : {}),
    }),
  );
  const patientFirst = own.sort((a, b) => rank(a.name) - rank(b.name));
  return [...patientFirst, ref('parameters', '_count'), ref('parameters', '_sort')];
}

/** Query parameters an operation declares itself (not R4 search parameters), with what each means. */
function namedQuery(names: readonly string[], descriptions: Record<string, string>): Parameter[] {
  return names.map((name) => ({
    name,
    in: 'query',
    description: descriptions[name],
    schema: { type: 'string' },
  }));
}

/** `patient` and `subject` first: clinical searches need one of them. */
const rank = (name: string) => (name === 'patient' ? 0 : name === 'subject' ? 1 : 2);

function requestBody(
  route: RouteDefinition,
  type: string | undefined,
  example?: WorkedExample & { request: ExampleRequest },
): OpenAPIV3_1.RequestBodyObject | undefined {
  const form = (schema: object, examples?: Record<string, OpenAPIV3_1.ExampleObject>) => ({
    required: true,
    content: { 'application/x-www-form-urlencoded': { schema, ...(examples ? { examples } : {}) } },
  });
  const exampleOf = (value: unknown) =>
    example ? { [example.id]: { summary: example.title, value } } : undefined;
  if (route.interaction === 'token') {
    return form(
      ref('schemas', 'TokenRequest'),
      exampleOf(Object.fromEntries(new URLSearchParams(String(example?.request.body ?? '')))),
    );
  }
  if (route.interaction === 'search-type') {
    return route.method === 'POST'
      ? form({ type: 'object', additionalProperties: { type: 'string' } })
      : undefined;
  }
  if (route.method !== 'POST' && route.method !== 'PUT' && route.method !== 'PATCH') return undefined;
  const schema =
    route.interaction === 'transaction' ? ref('schemas', 'Bundle') : ref('schemas', type ?? 'Resource');
  const examples = example?.request.body === undefined ? undefined : exampleOf(example.request.body);
  return { required: true, content: { [FHIR_JSON]: { schema, ...(examples ? { examples } : {}) } } };
}

function responses(route: RouteDefinition, type: string | undefined): OpenAPIV3_1.ResponsesObject {
  const fhirBody = (schema: object) => ({ content: { [FHIR_JSON]: { schema } } });
  const errors = Object.fromEntries(
    ['400', '401', '403', '404', '413', '422', '429', '500'].map((status) => [
      status,
      ref('responses', status),
    ]),
  );
  switch (route.interaction) {
    case 'token':
      return {
        '200': {
          description: 'An access token',
          content: { 'application/json': { schema: ref('schemas', 'TokenResponse') } },
        },
        '400': ref('responses', 'OAuthError'),
        '401': ref('responses', 'OAuthError'),
      };
    case 'jwks':
      return {
        '200': {
          description: 'The JSON Web Key Set',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      };
    case 'create':
      return {
        '201': {
          description: 'Created: `Location`, `ETag`, `Last-Modified`',
          ...fhirBody(ref('schemas', type ?? 'Resource')),
        },
        ...errors,
      };
    case 'update':
      return {
        '200': { description: 'Updated', ...fhirBody(ref('schemas', type ?? 'Resource')) },
        '201': {
          description: 'Created (PUT to a new id where the type allows it)',
          ...fhirBody(ref('schemas', type ?? 'Resource')),
        },
        '412': ref('responses', '412'),
        '428': ref('responses', '428'),
        ...errors,
      };
    case 'delete':
      return { '204': { description: 'Deleted: later reads answer 410' }, ...errors };
    case 'read':
    case 'vread':
      return {
        '200': { description: `The ${type ?? 'resource'}`, ...fhirBody(ref('schemas', type ?? 'Resource')) },
        '410': ref('responses', '410'),
        ...errors,
      };
    case 'validate':
      return {
        '200': { description: 'The outcome of validation', ...fhirBody(ref('schemas', 'OperationOutcome')) },
        ...errors,
      };
    case 'capabilities':
      return { '200': { description: 'The CapabilityStatement', ...fhirBody({ type: 'object' }) } };
    case 'export-system':
    case 'export-patient':
    case 'export-group':
      return {
        '202': {
          description: 'Accepted: poll the status URL in `Content-Location`',
          ...fhirBody(ref('schemas', 'OperationOutcome')),
        },
        ...errors,
      };
    case 'export-status':
      return {
        '200': {
          description:
            'The manifest: `output[]` of `{type, url, count}`, each URL a presigned download valid 1 hour',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        '202': { description: 'Still running: `X-Progress` says how far, `Retry-After` when to ask again' },
        ...errors,
      };
    case 'export-cancel':
      return { '202': { description: 'Cancelled: its files are deleted' }, ...errors };
    default:
      return { '200': { description: 'A Bundle', ...fhirBody(ref('schemas', 'Bundle')) }, ...errors };
  }
}

function introduction(examples: WorkedExample[]): string {
  const steps = examples
    .map((e, i) => {
      const expected = e.expect.filter((line) => line.startsWith('HTTP ')).join(', ');
      return (
        `### ${i + 1}. ${e.title}\n\n${e.explanation}\n\n\`\`\`sh\n${e.shell}\n\`\`\`` +
        (expected ? `\n\nExpect ${expected}.` : '')
      );
    })
    .join('\n\n');
  return [
    "The integrated care board's shared care record: one FHIR R4 record per patient, contributed to and read by",
    'GP practices, hospital, community and mental health trusts and social care, each acting for its own organisation.',
    '',
    'Every call but the token request, the JWKS and `GET /FHIR/R4/metadata` needs `Authorization: Bearer <token>`.',
    'Reads need a legitimate relationship with the patient (registered practice, or a care context: an Encounter or',
    'EpisodeOfCare you recorded, or a referral to you), or break-glass (`NHSD-Purpose-Of-Use: ETREAT` with',
    '`NHSD-Break-Glass-Reason`), which is audited and raises an event. Errors are FHIR `OperationOutcome`s that say',
    'what to do. A `POST` retried with the same `X-Request-ID` within 24 hours returns the first response.',
    '',
    '## Worked examples',
    '',
    'Paste each step into one terminal, in order, in the folder where `npm start` runs. A test runs every step',
    'exactly as written against the sandbox, so they stay true.',
    '',
    steps,
    '',
    relationshipsGuide(),
  ].join('\n');
}

function components(types: string[]): OpenAPIV3_1.ComponentsObject {
  const header = (
    name: string,
    description: string,
    schema: object = { type: 'string' },
    required = false,
  ) => ({
    name,
    in: 'header' as const,
    description,
    required,
    schema,
  });
  const outcome = (description: string) => ({
    description,
    content: { [FHIR_JSON]: { schema: ref('schemas', 'OperationOutcome') } },
  });
  // Every documented type and the data types they use, from the R4 definitions the server validates against.
  const resourceSchemas = fhirSchemas([...types, 'OperationOutcome', 'Bundle']);
  return {
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'An access token from `POST /oauth2/token` (see the worked examples)',
      },
    },
    parameters: {
      'X-Request-ID': header(
        'X-Request-ID',
        'Your id for the request, echoed back; a retried POST with the same id is answered once',
      ),
      'X-Correlation-ID': header('X-Correlation-ID', 'Your id for a flow of requests, echoed back'),
      'NHSD-End-User-Id': header(
        'NHSD-End-User-Id',
        'The person using your system, recorded in the audit trail',
      ),
      'NHSD-Purpose-Of-Use': header('NHSD-Purpose-Of-Use', '`TREAT` (default) or `ETREAT` for break-glass', {
        type: 'string',
        enum: ['TREAT', 'ETREAT'],
      }),
      'NHSD-Break-Glass-Reason': header(
        'NHSD-Break-Glass-Reason',
        'Why break-glass access is needed (with ETREAT)',
      ),
      'If-Match': header(
        'If-Match',
        'The version read, as its ETag: `W/"<version>"`',
        { type: 'string' },
        true,
      ),
      'If-None-Exist': header(
        'If-None-Exist',
        'Create only if no resource matches this search (`identifier=system|value`)',
      ),
      Prefer: header(
        'Prefer',
        '`handling=lenient` ignores unknown search parameters instead of answering 400',
      ),
      _count: {
        name: '_count',
        in: 'query',
        description: 'Page size, at most 100',
        schema: { type: 'integer', minimum: 1, maximum: 100 },
      },
      _sort: {
        name: '_sort',
        in: 'query',
        schema: { type: 'string', enum: ['date', '-date', '_lastUpdated', '-_lastUpdated'] },
      },
    },
    responses: {
      '400': outcome('Bad request: invalid resource, parameter or header'),
      '401': outcome('No valid access token'),
      '403': outcome('Not allowed: no relationship with the patient, or not your resource'),
      '404': outcome('Not found'),
      '410': outcome('Deleted'),
      '412': outcome('The version in If-Match is not the current one'),
      '413': outcome('Too large: body over 5 MB, or too many Bundle entries'),
      '422': outcome('Not processable: e.g. the patient is not registered'),
      '428': outcome('If-Match is required'),
      '429': outcome('Too many requests: slow down'),
      '500': outcome('Server error, logged with its request id'),
      OAuthError: {
        description: 'An OAuth 2.0 error',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['error'],
              properties: {
                error: {
                  enum: ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client'],
                },
                error_description: { type: 'string' },
              },
            },
          },
        },
      },
    },
    schemas: {
      ...resourceSchemas,
      Resource: {
        type: 'object',
        required: ['resourceType'],
        properties: { resourceType: { type: 'string' } },
      },
      TokenRequest: {
        type: 'object',
        required: ['grant_type', 'client_assertion_type', 'client_assertion'],
        properties: {
          grant_type: { const: 'client_credentials' },
          client_assertion_type: { const: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' },
          client_assertion: { type: 'string', description: 'The JWT signed with your private key' },
        },
      },
      TokenResponse: {
        type: 'object',
        required: ['access_token', 'token_type', 'expires_in'],
        properties: {
          access_token: { type: 'string' },
          token_type: { const: 'Bearer' },
          expires_in: { type: 'integer' },
        },
      },
    },
  };
}
