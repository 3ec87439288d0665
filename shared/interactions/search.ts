import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { decideAuditAccess, resourceVisible } from '../access/access-policy.ts';
import { hasScope } from '../access/scopes.ts';
import { NHS_NUMBER_SYSTEM, nhsNumberProblem } from '../fhir/nhs-number.ts';
import { ODS_CODE_SYSTEM } from '../fhir/ods-code.ts';
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  operationOutcome,
} from '../fhir/operation-outcome.ts';
import type { RequestContext } from '../http/request-context.ts';
import { readAuditTrail, readCurrent, readCurrentOfType } from '../record/record-store.ts';
import { cursorSecret } from '../search/cursor-secret.ts';
import { runSearch, type SearchCandidate } from '../search/run-search.ts';
import { searchLinks } from '../search/search-links.ts';
import { canonicalSearchQuery } from '../search/search-query.ts';
import { parseSearchRequest, type SearchFilter, type SearchRequest } from '../search/search-request.ts';
import { ownPartition, patientPartition } from '../service/table-design.ts';
import { auditedRecordAccess } from './audited-access.ts';
import { assertSupported } from './supported.ts';

/**
 * The FHIR search interaction on a type. Every search of patient data covers one patient's record (the
 * record is partitioned by patient), runs under the access rules and is audited; the page and its `next`
 * link come from a tamper-proof cursor.
 */
export async function searchType(
  type: string,
  query: Record<string, string[]>,
  ctx: RequestContext,
  options: { lenient: boolean },
): Promise<Bundle> {
  assertSupported(type, 'search-type');
  const request = parseSearchRequest(type, query, { lenient: options.lenient });
  if (type === 'Organization') return searchOrganizations(request, ctx);
  const nhs = type === 'Patient' ? patientSearched(request) : request.patient;
  // Every search reads one patient's record; the audit trail has no other way in either.
  if (nhs === undefined) {
    throw new BadRequestError(
      `A search of ${type} needs a patient: give patient=Patient/{NHS number}`,
      'required',
    );
  }
  const spec = {
    interaction: 'search-type',
    resourceType: type,
    permission: 's' as const,
    query: `${type}?${canonicalSearchQuery(request)}`,
    // The audit trail stays open to the auditor whatever became of the patient's registration.
    ...(type === 'AuditEvent' ? { decide: decideAuditAccess, registrationAside: true as const } : {}),
  };
  try {
    return await auditedRecordAccess(ctx, nhs, spec, async ({ facts, decision, patient }) => {
      const candidates =
        type === 'AuditEvent'
          ? await readAuditTrail(patientPartition(nhs))
          : type === 'Patient'
            ? patient && !patient.deleted
              ? [patient]
              : []
            : (await readCurrentOfType(patientPartition(nhs), type)).filter((c) =>
                resourceVisible(ctx.caller, decision, facts, c.resource, c.contributor),
              );
      const bundle = await searchBundle(candidates, request, ctx);
      return { value: bundle, references: bundle.entry?.map((e) => referenceOf(e.resource)) ?? [] };
    });
  } catch (e) {
    // A search for a patient no one has registered finds nothing; it is not an error.
    if (e instanceof NotFoundError && type === 'Patient') return searchBundle([], request, ctx);
    throw e;
  }
}

async function searchBundle(
  candidates: SearchCandidate[],
  request: SearchRequest,
  ctx: RequestContext,
): Promise<Bundle> {
  const { matches, total, nextCursor } = runSearch(candidates, request, {
    secret: await cursorSecret(),
    clientId: ctx.caller.clientId,
  });
  const entry: BundleEntry[] = matches.map((resource) => ({
    fullUrl: `${ctx.fhirBase}/${resource.resourceType}/${resource.id}`,
    resource,
    search: { mode: 'match' },
  }));
  if (request.ignored.length) {
    entry.push({
      resource: operationOutcome([
        {
          severity: 'warning',
          code: 'not-supported',
          diagnostics: `Ignored (Prefer: handling=lenient): ${request.ignored.join(', ')}`,
        },
      ]),
      search: { mode: 'outcome' },
    });
  }
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(request.total === 'none' ? {} : { total }),
    link: searchLinks(ctx.fhirBase, request, nextCursor),
    entry,
  };
}

/**
 * The NHS number a Patient search names, by `_id` or by an NHS-number `identifier`: the record is found by
 * NHS number; tracing a patient by demographics is the Personal Demographics Service's job, not this one's.
 */
function patientSearched(request: SearchRequest): string {
  const values = request.filters.flatMap((f) => tokenCodes(f, ['_id', 'identifier']));
  const nhs = values.find((v) => (v.system === undefined || v.system === NHS_NUMBER_SYSTEM) && v.code);
  if (!nhs?.code) {
    throw new BadRequestError(
      `Patient search needs _id or identifier=${NHS_NUMBER_SYSTEM}|{NHS number}; demographic tracing is PDS's job`,
      'required',
    );
  }
  const problem = nhsNumberProblem(nhs.code);
  if (problem) throw new BadRequestError(problem, 'value');
  return nhs.code;
}

/** Organizations by `_id` or ODS-code `identifier`: each is read by its key. */
async function searchOrganizations(request: SearchRequest, ctx: RequestContext): Promise<Bundle> {
  if (!hasScope(ctx.caller.scopes, 'Organization', 's')) {
    throw new ForbiddenError("The client's scopes do not allow searching Organization");
  }
  const codes = request.filters
    .flatMap((f) => tokenCodes(f, ['_id', 'identifier']))
    .filter((v) => v.system === undefined || v.system === ODS_CODE_SYSTEM)
    .map((v) => v.code)
    .filter((c): c is string => !!c);
  if (!codes.length)
    throw new BadRequestError(
      `Organization search needs _id or identifier=${ODS_CODE_SYSTEM}|{ODS code}`,
      'required',
    );
  const found = await Promise.all(
    [...new Set(codes)].map((c) => readCurrent('Organization', c, ownPartition('Organization', c))),
  );
  return searchBundle(
    found
      .filter((o) => o && !o.deleted)
      .map((o) => ({ resource: o?.resource as Resource, lastUpdated: o?.lastUpdated as string })),
    request,
    ctx,
  );
}

function tokenCodes(filter: SearchFilter, names: string[]): { system?: string; code?: string }[] {
  if (filter.type !== 'token' || filter.modifier || !names.includes(filter.parameter.name)) return [];
  return filter.values.map((v) => ({ system: v.system, code: v.code }));
}

function referenceOf(resource: Resource | undefined): string {
  return resource ? `${resource.resourceType}/${resource.id}` : '';
}
