import type { FunctionName } from './functions.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/**
 * One HTTP route: the CDK stack makes an API Gateway method of it, the sandbox's gateway serves it,
 * and the FHIR handler dispatches on its `interaction`. Paths use API Gateway's `{param}` syntax.
 */
export interface RouteDefinition {
  method: HttpMethod;
  path: string;
  function: FunctionName;
  /** What the handler does for this route (a FHIR interaction or operation name). */
  interaction: string;
  /** `bearer`: the token authorizer runs first; `none`: public. */
  auth: 'bearer' | 'none';
  /** The resource type a literal path stands for where a `{type}` route is declared again under it. */
  type?: string;
}

export const FHIR_BASE_PATH = '/FHIR/R4';

/**
 * The media types whose bodies the API passes to the functions base64-encoded: all of them. A body then reaches
 * a function byte for byte, so one that is not UTF-8 is refused (shared/http/request-text.ts) instead of being
 * decoded with replacement characters and stored.
 */
export const BINARY_MEDIA_TYPES = ['*/*'];

const fhir = (method: HttpMethod, path: string, interaction: string): RouteDefinition => ({
  method,
  path: `${FHIR_BASE_PATH}${path}`,
  function: 'fhir',
  interaction,
  auth: interaction === 'capabilities' ? 'none' : 'bearer',
});

// Subscriptions have their own function. API Gateway routes a path to its literal `Subscription` resource and
// never falls back to `{type}`, so every path the generic routes offer is declared again under it.
const subscription = (method: HttpMethod, path: string, interaction: string): RouteDefinition => ({
  method,
  path: `${FHIR_BASE_PATH}/Subscription${path}`,
  function: 'subscriptions',
  interaction,
  auth: 'bearer',
});

const binary = (method: HttpMethod, path: string, interaction: string): RouteDefinition => ({
  method,
  path: `${FHIR_BASE_PATH}/Binary${path}`,
  function: 'documents',
  interaction,
  auth: 'bearer',
});

// Bulk Data export (CONTRACT §8) has its own function. `Patient/$export` makes `Patient` a literal resource in
// API Gateway, which never falls back from it to `{type}`: every generic route is declared again under it.
const bulkExport = (method: HttpMethod, path: string, interaction: string): RouteDefinition => ({
  method,
  path: `${FHIR_BASE_PATH}${path}`,
  function: 'bulk-export',
  interaction,
  auth: 'bearer',
});

/** Where the point-of-care viewer lives (CONTRACT §7): HTML pages for people, beside the FHIR API. */
export const VIEWER_BASE_PATH = '/viewer';

// The viewer's pages answer people in a browser: the gateway lets them through and the viewer function checks
// their session cookie. Only the launch, which a supplier system calls, takes its bearer token.
const viewer = (method: HttpMethod, path: string, interaction: string): RouteDefinition => ({
  method,
  path: `${VIEWER_BASE_PATH}${path}`,
  function: 'viewer',
  interaction,
  auth: interaction === 'launch' ? 'bearer' : 'none',
});

/** The routes every served type shares; `{type}` is the type. */
const generic: RouteDefinition[] = [
  fhir('POST', '/{type}', 'create'),
  fhir('GET', '/{type}', 'search-type'),
  fhir('POST', '/{type}/_search', 'search-type'),
  fhir('POST', '/{type}/$validate', 'validate'),
  fhir('GET', '/{type}/{id}', 'read'),
  fhir('PUT', '/{type}/{id}', 'update'),
  fhir('DELETE', '/{type}/{id}', 'delete'),
  fhir('GET', '/{type}/{id}/_history', 'history-instance'),
  fhir('GET', '/{type}/{id}/_history/{vid}', 'vread'),
  fhir('GET', '/{type}/{id}/$everything', 'everything'),
  // What the patient currently takes, from every source (CONTRACT §3): `shared/interactions/current-medications.ts`.
  fhir('GET', '/{type}/{id}/$current-medications', 'current-medications'),
  // A structured letter read as a whole (FHIR's Composition $document): `shared/interactions/composition-document.ts`.
  fhir('GET', '/{type}/{id}/$document', 'document'),
];

/** The generic routes declared again under a literal type segment, for API Gateway (see `bulkExport`). */
const literalType = (type: string): RouteDefinition[] =>
  generic.map((r) => ({ ...r, path: r.path.replace('{type}', type), type }));

/** The one route table. */
export const routes: RouteDefinition[] = [
  { method: 'POST', path: '/oauth2/token', function: 'oauth', interaction: 'token', auth: 'none' },
  // Only so a GET answers 405 with `Allow: POST` rather than API Gateway's 404.
  {
    method: 'GET',
    path: '/oauth2/token',
    function: 'oauth',
    interaction: 'method-not-allowed',
    auth: 'none',
  },
  { method: 'GET', path: '/.well-known/jwks.json', function: 'oauth', interaction: 'jwks', auth: 'none' },
  fhir('GET', '/metadata', 'capabilities'),
  fhir('POST', '', 'transaction'),
  ...generic,
  ...literalType('Patient'),
  // The deployment's safeguarding list (CONTRACT §5); the only ValueSet served.
  fhir('GET', '/ValueSet/safeguarding-concerns', 'safeguarding-value-set'),
  subscription('POST', '', 'create'),
  subscription('GET', '', 'search-type'),
  subscription('POST', '/_search', 'search-type'),
  subscription('POST', '/$validate', 'validate'),
  subscription('GET', '/$status', 'status-type'),
  subscription('GET', '/{id}', 'read'),
  // Declared so API Gateway answers these 405 (a Subscription is deleted and made anew, never changed).
  subscription('PUT', '/{id}', 'method-not-allowed'),
  subscription('DELETE', '/{id}', 'delete'),
  subscription('GET', '/{id}/_history', 'method-not-allowed'),
  subscription('GET', '/{id}/_history/{vid}', 'vread'),
  subscription('GET', '/{id}/$everything', 'method-not-allowed'),
  subscription('GET', '/{id}/$current-medications', 'method-not-allowed'),
  subscription('GET', '/{id}/$document', 'method-not-allowed'),
  subscription('GET', '/{id}/$status', 'status'),
  subscription('GET', '/{id}/$events', 'events'),
  // Stored documents have their own function. Binary is not a type the generic routes serve, so nothing is
  // lost under API Gateway's literal `Binary` resource.
  binary('POST', '/$upload-url', 'upload-url'),
  binary('GET', '/{id}', 'binary-read'),
  bulkExport('GET', '/$export', 'export-system'),
  bulkExport('GET', '/Patient/$export', 'export-patient'),
  bulkExport('GET', '/Group/{id}/$export', 'export-group'),
  bulkExport('GET', '/$export-status/{id}', 'export-status'),
  bulkExport('DELETE', '/$export-status/{id}', 'export-cancel'),
  viewer('POST', '/launch', 'launch'),
  viewer('GET', '/start', 'start'),
  viewer('GET', '/Patient/{nhs}', 'record'),
  viewer('POST', '/Patient/{nhs}/break-glass', 'break-glass'),
  viewer('POST', '/Patient/{nhs}/Task/{id}/acknowledge', 'acknowledge-task'),
  viewer('GET', '/Patient/{nhs}/Binary/{id}', 'document'),
  viewer('GET', '/assets/{file}', 'asset'),
];

/** Finds the route an API Gateway event came in by (`resource` is the route's path template). */
export function routeFor(method: string, resource: string): RouteDefinition | undefined {
  return routes.find((r) => r.method === method && r.path === resource);
}
