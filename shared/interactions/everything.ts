import type { Bundle, Resource } from '@medplum/fhirtypes';
import { resourceVisible } from '../access/access-policy.ts';
import { BadRequestError } from '../fhir/operation-outcome.ts';
import { assertNhsNumberId } from '../fhir/patient-identity.ts';
import type { RequestContext } from '../http/request-context.ts';
import { readRecordPage, type StoredResource } from '../record/record-store.ts';
import { cursorSecret } from '../search/cursor-secret.ts';
import { type CursorBinding, decodeCursor, encodeCursor } from '../search/search-cursor.ts';
import { formatQuery } from '../search/search-query.ts';
import { MAX_COUNT } from '../search/search-request.ts';
import { resourceType } from '../service/resource-types.ts';
import { currentKey, patientPartition } from '../service/table-design.ts';
import { auditedRecordAccess } from './audited-access.ts';

/** A joined-up record page is larger by default than a search page; the ceiling is search's. */
const DEFAULT_COUNT = 50;
const KNOWN = new Set(['_type', '_since', '_count', '_cursor']);

/** `$everything` parameters, parsed. */
interface EverythingRequest {
  types?: Set<string>;
  since?: string;
  count: number;
  cursor?: string;
}

/**
 * `GET /Patient/{nhs}/$everything`: the joined-up record, every resource the caller may see, each carrying
 * its contributor's tag. One DynamoDB Query a page (the patient's partition in key order), so its cost follows
 * this patient's record and nothing else; `next` pages by an encrypted, tamper-proof cursor.
 */
export async function everything(
  type: string,
  nhs: string,
  query: Record<string, string[]>,
  ctx: RequestContext,
): Promise<Bundle> {
  if (type !== 'Patient')
    throw new BadRequestError('$everything is an operation on Patient', 'not-supported');
  assertNhsNumberId(nhs);
  const request = parseEverything(query);
  const canonical = formatQuery([
    ...(request.types ? [['_type', [...request.types].sort().join(',')] as [string, string]] : []),
    ...(request.since ? [['_since', request.since] as [string, string]] : []),
  ]);
  const binding: CursorBinding = {
    resourceType: 'Patient/$everything',
    patient: nhs,
    query: canonical,
    clientId: ctx.caller.clientId,
  };
  const secret = await cursorSecret();
  const after = request.cursor ? decodeCursor(request.cursor, binding, secret).id : undefined;
  const spec = {
    interaction: 'operation',
    resourceType: 'Patient',
    permission: 'r' as const,
    query: `$everything?${canonical}`,
  };
  return auditedRecordAccess(ctx, nhs, spec, async ({ facts, decision }) => {
    const shown = (r: StoredResource) =>
      !r.deleted &&
      (!request.types || request.types.has(r.resource.resourceType)) &&
      (!request.since || r.lastUpdated >= request.since) &&
      resourceVisible(ctx.caller, decision, facts, r.resource, r.contributor);
    // A page is filled from what the caller may see, and has a next link only when one more such resource
    // exists: no empty page, and no page count, gives away what is hidden. Usually one Query (`count + 1`
    // items); more only where there are resources the caller may not see or did not ask for.
    const found: StoredResource[] = [];
    let startAfter = after;
    while (found.length <= request.count) {
      const page = await readRecordPage(patientPartition(nhs), request.count + 1, startAfter);
      found.push(...page.resources.filter(shown));
      if (!page.lastKey) break;
      startAfter = page.lastKey;
    }
    const resources = found.slice(0, request.count).map((r) => r.resource);
    const self = `${ctx.fhirBase}/Patient/${nhs}/$everything`;
    const link = [{ relation: 'self', url: `${self}${canonical ? `?${canonical}` : ''}` }];
    const last = resources.at(-1);
    if (found.length > request.count && last) {
      const position = { key: [], id: currentKey(last.resourceType, last.id as string) };
      const cursor = encodeCursor(position, binding, secret);
      const next = formatQuery([
        ...new URLSearchParams(canonical),
        ['_count', String(request.count)],
        ['_cursor', cursor],
      ]);
      link.push({ relation: 'next', url: `${self}?${next}` });
    }
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      link,
      entry: resources.map((resource) => ({
        fullUrl: `${ctx.fhirBase}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'match' },
      })),
    };
    return { value: bundle, references: resources.map((r: Resource) => `${r.resourceType}/${r.id}`) };
  });
}

function parseEverything(query: Record<string, string[]>): EverythingRequest {
  const unknown = Object.keys(query).filter((k) => !KNOWN.has(k));
  if (unknown.length)
    throw new BadRequestError(`$everything does not take ${unknown.join(', ')}`, 'not-supported');
  const one = (name: string) => {
    const values = query[name] ?? [];
    if (values.length > 1) throw new BadRequestError(`${name} may be given once`, 'invalid');
    return values[0] || undefined;
  };
  const types = one('_type')
    ?.split(',')
    .map((t) => t.trim());
  for (const t of types ?? []) {
    if (!resourceType(t)) throw new BadRequestError(`_type '${t}' is not a type this server holds`, 'value');
  }
  const since = one('_since');
  if (
    since !== undefined &&
    (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(since) ||
      Number.isNaN(Date.parse(since)))
  ) {
    throw new BadRequestError('_since must be an instant, e.g. 2026-01-31T09:00:00Z', 'value');
  }
  const countText = one('_count');
  const count = countText === undefined ? DEFAULT_COUNT : Number(countText);
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new BadRequestError(`_count must be a whole number from 1 to ${MAX_COUNT}`, 'value');
  }
  return {
    ...(types ? { types: new Set(types) } : {}),
    ...(since ? { since: new Date(since).toISOString() } : {}),
    count,
    cursor: one('_cursor'),
  };
}
