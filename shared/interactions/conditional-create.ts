import type { Patient, Resource } from '@medplum/fhirtypes';
import { NHS_NUMBER_SYSTEM } from '../fhir/nhs-number.ts';
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
} from '../fhir/operation-outcome.ts';
import { patientOf } from '../fhir/patient-reference.ts';
import type { RequestContext } from '../http/request-context.ts';
import { identifiedByNhsNumber } from '../service/resource-types.ts';
import { searchType } from './search.ts';

/**
 * FHIR conditional create (`If-None-Exist`): the search runs within the record the new resource belongs to,
 * under the same access rules. No match: create; one: answer it (200) and create nothing; more: 412.
 */
export async function conditionalCreateMatch(
  type: string,
  body: Record<string, unknown>,
  ifNoneExist: string | undefined,
  ctx: RequestContext,
): Promise<Resource | undefined> {
  if (!ifNoneExist) return undefined;
  const query: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(ifNoneExist.replace(/^\?/, ''))) {
    query[name] = [...(query[name] ?? []), value];
  }
  if (!Object.keys(query).length)
    throw new BadRequestError('If-None-Exist must be a search query, e.g. identifier=…', 'value');
  if (identifiedByNhsNumber(type)) {
    const nhs = (body as unknown as Patient).identifier?.find((i) => i.system === NHS_NUMBER_SYSTEM)?.value;
    if (nhs) query._id = [nhs];
  } else {
    query.patient = [
      `Patient/${patientOf({ ...body, resourceType: type } as unknown as Resource, ctx.fhirBase)}`,
    ];
  }
  let found: Awaited<ReturnType<typeof searchType>>;
  try {
    found = await searchType(type, query, ctx, { lenient: false });
  } catch (e) {
    // No relationship means the organisation has contributed nothing here, so nothing of its own can match;
    // an unregistered patient is refused by the create itself (422).
    if (e instanceof ForbiddenError || e instanceof NotFoundError) return undefined;
    throw e;
  }
  const matches = (found.entry ?? []).filter((e) => e.search?.mode === 'match');
  if (matches.length > 1)
    throw new PreconditionFailedError(`If-None-Exist matched ${matches.length} resources`);
  return matches[0]?.resource;
}
