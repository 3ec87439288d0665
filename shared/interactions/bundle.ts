import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { NHS_NUMBER_SYSTEM } from '../fhir/nhs-number.ts';
import {
  BadRequestError,
  type Issue,
  OperationOutcomeError,
  PayloadTooLargeError,
} from '../fhir/operation-outcome.ts';
import { patientOf } from '../fhir/patient-reference.ts';
import { ifMatchVersion } from '../fhir/versioning.ts';
import type { RequestContext } from '../http/request-context.ts';
import { newRecordId } from '../record/record-id.ts';
import { identifiedByNhsNumber } from '../service/resource-types.ts';
import { planCreate, planDelete, planUpdate } from './write.ts';
import { commitPlans, type WritePlan } from './write-plan.ts';

/** Largest transaction (atomic) and batch Bundles taken (CONTRACT §3). */
export const MAX_TRANSACTION_ENTRIES = 50;
export const MAX_BATCH_ENTRIES = 200;

/** Reads the server answers inside a Bundle, after its writes. */
export type BundleRead = (method: 'GET', url: string) => Promise<{ status: number; resource?: Resource }>;

/**
 * Runs a Bundle's writes at most once (`X-Request-ID`), answering a retry with their first responses. Reads
 * never go through it: they are authorised and audited afresh every time (CONTRACT §4).
 */
export type WritesOnce = <T>(writes: () => Promise<T>) => Promise<T>;

const runNow: WritesOnce = (writes) => writes();

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
  once: WritesOnce = runNow,
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
  return type === 'transaction' ? transaction(entries, ctx, read, once) : batch(entries, ctx, read, once);
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

async function transaction(
  entries: BundleEntry[],
  ctx: RequestContext,
  read: BundleRead,
  once: WritesOnce,
): Promise<Bundle> {
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
  const writes = parsed.filter((e) => e.method !== 'GET');
  const written = writes.length
    ? await once(async () => {
        const assigned = await assignIds(parsed);
        const plans: (WritePlan | undefined)[] = new Array(parsed.length);
        for (const e of [...writes].sort((a, b) => ORDER[a.method] - ORDER[b.method])) {
          try {
            const resource = e.resource ? rewriteReferences(e.resource, assigned) : undefined;
            plans[e.index] = await planEntry(e, resource, ctx, assigned.get(e.fullUrl ?? ''));
          } catch (error) {
            throw atEntry(error, e.index);
          }
        }
        await commitPlans(
          plans.filter((p): p is WritePlan => p !== undefined),
          ctx,
          'transaction',
        );
        return writes.map((e) => writeResponse(plans[e.index], e));
      })
    : [];
  const response: BundleEntry[] = [];
  for (const [i, e] of writes.entries()) response[e.index] = written[i] as BundleEntry;
  for (const e of parsed) if (e.method === 'GET') response[e.index] = await readEntry(e, read);
  return { resourceType: 'Bundle', type: 'transaction-response', entry: response };
}

async function batch(
  entries: BundleEntry[],
  ctx: RequestContext,
  read: BundleRead,
  once: WritesOnce,
): Promise<Bundle> {
  const isRead = (entry: BundleEntry) => entry.request?.method === 'GET';
  const writes = [...entries.entries()].filter(([, entry]) => !isRead(entry));
  const written = writes.length
    ? await once(async () => {
        const answers: BundleEntry[] = [];
        for (const [index, entry] of writes) {
          answers.push(
            await entryOutcome(async () => {
              const e = parseEntry(entry, index, false);
              const plan = await planEntry(e, e.resource, ctx);
              if (plan) await commitPlans([plan], ctx);
              return writeResponse(plan, e);
            }),
          );
        }
        return answers;
      })
    : [];
  const response: BundleEntry[] = [];
  for (const [i, [index]] of writes.entries()) response[index] = written[i] as BundleEntry;
  for (const [index, entry] of entries.entries()) {
    if (isRead(entry))
      response[index] = await entryOutcome(async () => readEntry(parseEntry(entry, index, false), read));
  }
  return { resourceType: 'Bundle', type: 'batch-response', entry: response };
}

/** A batch entry's answer: its response, or its OperationOutcome when it failed on its own. */
async function entryOutcome(run: () => Promise<BundleEntry>): Promise<BundleEntry> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return { response: { status: String(error.status), outcome: error.outcome } };
  }
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
 * Ids for the entries a transaction creates, by their fullUrl: a Patient's is its NHS number; any other's names
 * its patient's record (record-id.ts), whose reference may itself be to a Patient created in the same bundle.
 */
async function assignIds(entries: ParsedEntry[]): Promise<Map<string, string>> {
  const assigned = new Map<string, string>();
  for (const e of entries) if (e.method === 'PUT' && e.fullUrl) assigned.set(e.fullUrl, `${e.type}/${e.id}`);
  const creates = entries.filter((e) => e.method === 'POST' && e.fullUrl);
  for (const e of creates.filter((c) => identifiedByNhsNumber(c.type))) {
    const nhs = (e.resource?.identifier as { system?: string; value?: string }[] | undefined)?.find(
      (i) => i.system === NHS_NUMBER_SYSTEM,
    )?.value;
    assigned.set(e.fullUrl as string, `${e.type}/${nhs ?? crypto.randomUUID()}`);
  }
  for (const e of creates.filter((c) => !identifiedByNhsNumber(c.type))) {
    const patient = e.resource ? patientNamed(e.type, rewriteReferences(e.resource, assigned)) : undefined;
    assigned.set(
      e.fullUrl as string,
      `${e.type}/${patient ? await newRecordId(patient) : crypto.randomUUID()}`,
    );
  }
  return assigned;
}

/** The NHS number an entry's resource names as its patient; undefined when it names none (its write will say). */
function patientNamed(type: string, resource: Record<string, unknown>): string | undefined {
  try {
    return patientOf({ ...resource, resourceType: type } as unknown as Resource);
  } catch {
    return undefined;
  }
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
