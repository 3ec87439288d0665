import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { NHS_NUMBER_SYSTEM } from '../fhir/nhs-number.ts';
import {
  BadRequestError,
  type Issue,
  OperationOutcomeError,
  PayloadTooLargeError,
} from '../fhir/operation-outcome.ts';
import { ifMatchVersion } from '../fhir/versioning.ts';
import type { RequestContext } from '../http/request-context.ts';
import { planCreate, planDelete, planUpdate } from './write.ts';
import { commitPlans, type WritePlan } from './write-plan.ts';

/** Largest transaction (atomic) and batch Bundles taken (CONTRACT §3). */
export const MAX_TRANSACTION_ENTRIES = 50;
export const MAX_BATCH_ENTRIES = 200;

/** Reads the server answers inside a Bundle, after its writes. */
export type BundleRead = (method: 'GET', url: string) => Promise<{ status: number; resource?: Resource }>;

type Method = 'POST' | 'PUT' | 'DELETE' | 'GET';
// FHIR's processing order for a transaction: deletes, then creates, then updates, then reads.
const ORDER: Record<Method, number> = { DELETE: 0, POST: 1, PUT: 2, GET: 3 };

interface ParsedEntry {
  index: number;
  method: Method;
  type: string;
  id?: string;
  fullUrl?: string;
  resource?: Record<string, unknown>;
  ifMatch?: number;
  url: string;
}

/**
 * Processes a `transaction` or `batch` Bundle posted to the base. A transaction's writes are planned in full,
 * with `urn:uuid:` references rewritten to the ids assigned, and made in one DynamoDB transaction: every entry
 * lands or none does, and the first failing entry's error is the answer. A batch runs each entry alone.
 */
export async function processBundle(
  body: Record<string, unknown>,
  ctx: RequestContext,
  read: BundleRead,
): Promise<Bundle> {
  if (body.resourceType !== 'Bundle') {
    throw new BadRequestError('POST to the base takes a Bundle of type transaction or batch', 'invalid', [
      'resourceType',
    ]);
  }
  const type = body.type;
  if (type !== 'transaction' && type !== 'batch') {
    throw new BadRequestError('Bundle.type must be transaction or batch', 'value', ['Bundle.type']);
  }
  const entries = bundleEntries(body);
  const limit = type === 'transaction' ? MAX_TRANSACTION_ENTRIES : MAX_BATCH_ENTRIES;
  if (entries.length > limit) {
    throw new PayloadTooLargeError(
      `A ${type} takes at most ${limit} entries; this one has ${entries.length}`,
    );
  }
  return type === 'transaction' ? transaction(entries, ctx, read) : batch(entries, ctx, read);
}

/**
 * `Bundle.entry` as FHIR JSON allows it: absent, or an array of objects whose `request`, `resource` and
 * `fullUrl` have the right JSON shapes. Anything else is a 400 naming the entry, not a failure further on.
 */
function bundleEntries(body: Record<string, unknown>): BundleEntry[] {
  if (body.entry === undefined) return [];
  if (!Array.isArray(body.entry)) {
    throw new BadRequestError('Bundle.entry must be an array of entries', 'structure', ['Bundle.entry']);
  }
  body.entry.forEach((entry: unknown, i) => {
    const at = `Bundle.entry[${i}]`;
    const shape = (what: string, where = at) => {
      throw new BadRequestError(`Entry ${i}: ${what}`, 'structure', [where]);
    };
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) shape('must be an object');
    const e = entry as Record<string, unknown>;
    const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!isObject(e.request)) shape('request must be an object', `${at}.request`);
    const request = e.request as Record<string, unknown>;
    for (const name of ['method', 'url', 'ifMatch', 'ifNoneExist', 'ifNoneMatch', 'ifModifiedSince']) {
      if (request[name] !== undefined && typeof request[name] !== 'string')
        shape(`request.${name} must be a string`, `${at}.request.${name}`);
    }
    if (e.resource !== undefined && !isObject(e.resource))
      shape('resource must be an object (a FHIR resource)', `${at}.resource`);
    if (e.fullUrl !== undefined && typeof e.fullUrl !== 'string')
      shape('fullUrl must be a string', `${at}.fullUrl`);
  });
  return body.entry as BundleEntry[];
}

async function transaction(entries: BundleEntry[], ctx: RequestContext, read: BundleRead): Promise<Bundle> {
  const parsed = entries.map((e, i) => parseEntry(e, i, true));
  const seen = new Set<string>();
  for (const e of parsed) {
    const key = e.method === 'POST' ? e.fullUrl : e.method === 'GET' ? undefined : `${e.type}/${e.id}`;
    if (!key) continue;
    if (seen.has(key)) {
      throw new BadRequestError(
        `Entry ${e.index} changes ${key} a second time in one transaction`,
        'invalid',
        [`Bundle.entry[${e.index}]`],
      );
    }
    seen.add(key);
  }
  const assigned = assignIds(parsed);
  const plans: (WritePlan | undefined)[] = new Array(parsed.length);
  for (const e of [...parsed].sort((a, b) => ORDER[a.method] - ORDER[b.method])) {
    if (e.method === 'GET') continue;
    try {
      const resource = e.resource ? rewriteReferences(e.resource, assigned) : undefined;
      plans[e.index] = await planEntry(e, resource, ctx, assigned.get(e.fullUrl ?? ''));
    } catch (error) {
      throw atEntry(error, e.index);
    }
  }
  const writes = plans.filter((p): p is WritePlan => p !== undefined);
  // A transaction of reads only (or of deletes of what is already deleted) writes nothing: it is answered as
  // its reads, each authorised and audited on its own.
  if (writes.length) await commitPlans(writes, ctx, 'transaction');
  const response: BundleEntry[] = [];
  for (const e of parsed) {
    if (e.method === 'GET') response[e.index] = await readEntry(e, read);
    else response[e.index] = writeResponse(plans[e.index], e);
  }
  return { resourceType: 'Bundle', type: 'transaction-response', entry: response };
}

async function batch(entries: BundleEntry[], ctx: RequestContext, read: BundleRead): Promise<Bundle> {
  const response: BundleEntry[] = [];
  for (const [index, entry] of entries.entries()) {
    try {
      const e = parseEntry(entry, index, false);
      if (e.method === 'GET') {
        response.push(await readEntry(e, read));
        continue;
      }
      const plan = await planEntry(e, e.resource, ctx);
      if (plan) await commitPlans([plan], ctx);
      response.push(writeResponse(plan, e));
    } catch (error) {
      const failure = error instanceof OperationOutcomeError ? error : undefined;
      if (!failure) throw error;
      response.push({ response: { status: String(failure.status), outcome: failure.outcome } });
    }
  }
  return { resourceType: 'Bundle', type: 'batch-response', entry: response };
}

function parseEntry(entry: BundleEntry, index: number, inTransaction: boolean): ParsedEntry {
  const at = [`Bundle.entry[${index}].request`];
  const method = entry.request?.method as Method | undefined;
  const url = entry.request?.url;
  if (!method || !(method in ORDER)) {
    throw new BadRequestError(`Entry ${index}: request.method must be GET, POST, PUT or DELETE`, 'value', at);
  }
  if (typeof url !== 'string' || !url)
    throw new BadRequestError(`Entry ${index}: request.url is required`, 'required', at);
  const path = url.split('?')[0] as string;
  const [type, id, ...rest] = path.replace(/^\//, '').split('/');
  if (
    !type ||
    (method === 'POST' && id) ||
    ((method === 'PUT' || method === 'DELETE') && (!id || rest.length))
  ) {
    throw new BadRequestError(`Entry ${index}: request.url '${url}' does not fit ${method}`, 'value', at);
  }
  if (entry.request?.ifNoneExist && inTransaction) {
    throw new BadRequestError(
      `Entry ${index}: conditional create (ifNoneExist) is not supported inside a Bundle`,
      'not-supported',
      at,
    );
  }
  const resource = entry.resource as Record<string, unknown> | undefined;
  if ((method === 'POST' || method === 'PUT') && (!resource || typeof resource !== 'object')) {
    throw new BadRequestError(`Entry ${index}: ${method} needs a resource`, 'required', [
      `Bundle.entry[${index}].resource`,
    ]);
  }
  return {
    index,
    method,
    type,
    id,
    fullUrl: entry.fullUrl,
    resource,
    ifMatch: ifMatchVersion(entry.request?.ifMatch),
    url,
  };
}

/**
 * What each entry's fullUrl stands for: the id a create is given (a Patient's is its NHS number), or the
 * resource an update names.
 */
function assignIds(entries: ParsedEntry[]): Map<string, string> {
  const assigned = new Map<string, string>();
  for (const e of entries) {
    if (e.method === 'PUT' && e.fullUrl) assigned.set(e.fullUrl, `${e.type}/${e.id}`);
    if (e.method !== 'POST' || !e.fullUrl) continue;
    const nhs = (e.resource?.identifier as { system?: string; value?: string }[] | undefined)?.find(
      (i) => i.system === NHS_NUMBER_SYSTEM,
    )?.value;
    const id = e.type === 'Patient' && nhs ? nhs : crypto.randomUUID();
    assigned.set(e.fullUrl, `${e.type}/${id}`);
  }
  return assigned;
}

/** A copy of `resource` with every `reference` to a bundle-local fullUrl pointing at the assigned id. */
function rewriteReferences(
  resource: Record<string, unknown>,
  assigned: Map<string, string>,
): Record<string, unknown> {
  return JSON.parse(JSON.stringify(resource), (key, value) =>
    key === 'reference' && typeof value === 'string' && assigned.has(value) ? assigned.get(value) : value,
  );
}

function planEntry(
  e: ParsedEntry,
  resource: Record<string, unknown> | undefined,
  ctx: RequestContext,
  assignedReference?: string,
): Promise<WritePlan | undefined> {
  switch (e.method) {
    case 'POST':
      return planCreate(e.type, resource ?? {}, ctx, assignedReference?.split('/')[1]);
    case 'PUT':
      return planUpdate(e.type, e.id as string, resource ?? {}, e.ifMatch, ctx);
    default:
      return planDelete(e.type, e.id as string, e.ifMatch, ctx);
  }
}

function writeResponse(plan: WritePlan | undefined, e: ParsedEntry): BundleEntry {
  if (!plan) return { response: { status: '204' } };
  const resource = plan.response.resource;
  const status = plan.response.status;
  return {
    ...(e.fullUrl ? { fullUrl: e.fullUrl } : {}),
    ...(resource ? { resource } : {}),
    response: {
      status: `${status} ${status === 201 ? 'Created' : status === 204 ? 'No Content' : 'OK'}`,
      ...(plan.response.location ? { location: plan.response.location } : {}),
      etag: `W/"${plan.write.next.versionId}"`,
      lastModified: plan.write.next.lastUpdated,
    },
  };
}

async function readEntry(e: ParsedEntry, read: BundleRead): Promise<BundleEntry> {
  try {
    const { status, resource } = await read('GET', e.url);
    return { ...(resource ? { resource } : {}), response: { status: String(status) } };
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return { response: { status: String(error.status), outcome: error.outcome as OperationOutcome } };
  }
}

function atEntry(error: unknown, index: number): unknown {
  if (!(error instanceof OperationOutcomeError)) return error;
  const issues: Issue[] = error.issues.map((i) => ({
    ...i,
    diagnostics: `Entry ${index}: ${i.diagnostics}`,
    expression: i.expression?.map(
      (x) => `Bundle.entry[${index}].resource.${x.replace(/^[A-Z][A-Za-z]+\./, '')}`,
    ),
  }));
  return new OperationOutcomeError(error.status, issues);
}
