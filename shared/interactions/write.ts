import type { DocumentReference, Patient, Resource } from '@medplum/fhirtypes';
import { withCareProvider } from '../access/care-context.ts';
import { hasScope } from '../access/scopes.ts';
import { prepareDocument } from '../documents/prepare-document.ts';
import { eventsForChange } from '../events/classify-change.ts';
import { safeguardingCodes } from '../events/safeguarding-codes.ts';
import { NHS_NUMBER_SYSTEM, nhsNumberProblem } from '../fhir/nhs-number.ts';
import {
  BadRequestError,
  GoneError,
  PreconditionFailedError,
  UnprocessableEntityError,
} from '../fhir/operation-outcome.ts';
import { withNhsNumberIdentifier } from '../fhir/patient-identity.ts';
import { patientOf } from '../fhir/patient-reference.ts';
import { assertValidResource } from '../fhir/resource-validation.ts';
import { assertNoUnresolvedReferences } from '../fhir/unresolved-references.ts';
import { assertCurrentVersion } from '../fhir/versioning.ts';
import type { RequestContext } from '../http/request-context.ts';
import { readForChange } from '../record/access-facts-store.ts';
import { withServerMeta } from '../record/contributor.ts';
import { newRecordId } from '../record/record-id.ts';
import { findPartition, partitionOf, readCurrent, type StoredResource } from '../record/record-store.ts';
import { registeredPracticeOf } from '../record/registered-practice.ts';
import { identifiedByNhsNumber, resourceType } from '../service/resource-types.ts';
import { currentKey, PATIENT_PREFIX } from '../service/table-design.ts';
import { refusedChange } from './audited-access.ts';
import { absent, assertChangeable } from './hidden-means-absent.ts';
import type { KnownFacts } from './relationship-claims.ts';
import { assertSupported, locate } from './supported.ts';
import type { WritePlan } from './write-plan.ts';

/**
 * Plans the FHIR create interaction: validates the body, assigns the id (a Patient's is the NHS number its
 * identifier gives; any other a new id that names its patient's record (record-id.ts); an `id` in the body is
 * ignored, as FHIR says) and stamps the
 * server's meta. A clinical resource must reference a registered patient, checked again as the write lands.
 */
export async function planCreate(
  type: string,
  body: Record<string, unknown>,
  ctx: RequestContext,
  assignedId?: string,
): Promise<WritePlan> {
  assertSupported(type, 'create');
  const { id: _ignored, ...content } = body;
  assertValidResource(content, type);
  assertNoUnresolvedReferences(content as unknown as Resource);
  let resource = content as unknown as Resource;
  let id = assignedId;
  let previous: StoredResource | undefined;
  const isPatient = identifiedByNhsNumber(type);
  if (isPatient) {
    id = nhsNumberFromIdentifier(resource as Patient);
    previous = await readCurrent(type, id, partitionOf(type, id));
    if (previous?.deleted) throw new GoneError(`Patient/${id} has been deleted: its record is never reused`);
    if (previous) {
      throw new UnprocessableEntityError(
        `Patient ${id} is already registered: update it with PUT and If-Match`,
        [
          {
            code: 'duplicate',
            diagnostics: 'This NHS number is already registered: update it with PUT and If-Match',
          },
        ],
      );
    }
    resource = withNhsNumberIdentifier(resource as Patient, id);
  }
  const patient = isPatient ? (id as string) : patientOf(resource, ctx.fhirBase);
  if (!hasScope(ctx.caller.scopes, type, 'c')) {
    throw await refusedChange(ctx, patient, 'create', `The client's scopes do not allow creating ${type}`);
  }
  id ??= await newRecordId(patient);
  return plan('create', { ...resource, id } as Resource, patient, previous, ctx);
}

/**
 * Plans the FHIR update interaction (PUT): a Patient is created at its NHS number when there is none;
 * otherwise the version named by `If-Match` is replaced (428 without it, 412 when stale). Clinical resources
 * have server-assigned ids, so a PUT to an unknown one is 404.
 */
export async function planUpdate(
  type: string,
  id: string,
  body: Record<string, unknown>,
  ifMatch: number | undefined,
  ctx: RequestContext,
): Promise<WritePlan> {
  assertSupported(type, 'update');
  const partition = locate(type, id);
  if (body.id !== id)
    throw new BadRequestError(`The body's id must be '${id}', as in the URL`, 'invalid', ['id']);
  assertValidResource(body, type);
  assertNoUnresolvedReferences(body as unknown as Resource);
  let resource = body as unknown as Resource;
  const { previous, known } = await readForUpdate(type, id, partition, ctx);
  const isPatient = identifiedByNhsNumber(type);
  if (isPatient) {
    resource = withNhsNumberIdentifier(resource as Patient, id);
  } else if (!previous) {
    throw absent(type, id);
  }
  // What exists is checked as its own record says, before anything about the body: a hidden or deleted
  // resource answers as a read would, whatever the body claims.
  if (previous) {
    const withdrawal = previous.deleted ? undefined : await objectionWithdrawal(previous, resource, ctx);
    await assertChangeable(ctx, previous, patientIn(previous), 'update', withdrawal);
  }
  const patient = isPatient ? id : patientOf(resource, ctx.fhirBase);
  if (previous && !isPatient && previous.partition !== partitionOf(type, id, patient)) {
    throw new BadRequestError(
      `${type}/${id} belongs to another patient's record and cannot be moved`,
      'invariant',
    );
  }
  if (!previous && !hasScope(ctx.caller.scopes, type, 'c')) {
    throw await refusedChange(ctx, patient, 'create', `The client's scopes do not allow creating ${type}`);
  }
  if (previous) assertCurrentVersion(ifMatch, previous.versionId);
  const planned = await plan(previous ? 'update' : 'create', resource, patient, previous, ctx);
  return known?.patient === patient ? { ...planned, known } : planned;
}

/**
 * The version an update replaces. In a patient's record it is read in one BatchGetItem with the relationship
 * facts the commit needs (the Patient, the caller's relationship item), so an update reads once, not twice.
 */
async function readForUpdate(
  type: string,
  id: string,
  located: string | undefined,
  ctx: RequestContext,
): Promise<{ previous?: StoredResource; known?: KnownFacts }> {
  const partition = located ?? (await findPartition(type, id));
  if (!partition) return {};
  if (!partition.startsWith(PATIENT_PREFIX)) return { previous: await readCurrent(type, id, partition) };
  const patient = partition.slice(PATIENT_PREFIX.length);
  const odsCode = ctx.caller.odsCode;
  const { current, facts } = await readForChange(
    { PK: partition, SK: currentKey(type, id) },
    patient,
    odsCode,
  );
  return {
    ...(current ? { previous: current } : {}),
    known: { patient, organisations: new Set([odsCode]), facts },
  };
}

/**
 * Plans the FHIR delete interaction: a new version that marks the resource deleted (later reads answer 410,
 * its history stays). `If-Match`, when sent, must name the current version. Deleting twice changes nothing.
 */
export async function planDelete(
  type: string,
  id: string,
  ifMatch: number | undefined,
  ctx: RequestContext,
): Promise<WritePlan | undefined> {
  assertSupported(type, 'delete');
  const previous = await readCurrent(type, id, locate(type, id));
  if (!previous) throw absent(type, id);
  const patient = patientIn(previous);
  const withdrawal = previous.deleted ? undefined : await objectionWithdrawal(previous, undefined, ctx);
  await assertChangeable(ctx, previous, patient, 'delete', withdrawal);
  if (previous.deleted) return undefined;
  if (ifMatch !== undefined && ifMatch !== previous.versionId) {
    throw new PreconditionFailedError(
      `If-Match W/"${ifMatch}" is stale: the current version is W/"${previous.versionId}"`,
    );
  }
  const versionId = previous.versionId + 1;
  const lastUpdated = new Date().toISOString();
  const resource = withServerMeta(previous.resource, {
    versionId,
    lastUpdated,
    contributor: previous.contributor,
  });
  return {
    interaction: 'delete',
    write: { next: { ...previous, resource, versionId, lastUpdated, deleted: true }, previous },
    patient,
    requiresRegisteredPatient: false,
    response: { status: 204 },
    events: [],
  };
}

async function plan(
  interaction: 'create' | 'update',
  resource: Resource,
  patient: string,
  previous: StoredResource | undefined,
  ctx: RequestContext,
): Promise<WritePlan> {
  const type = resource.resourceType;
  const id = resource.id as string;
  const versionId = (previous?.versionId ?? 0) + 1;
  const lastUpdated = new Date().toISOString();
  const live = previous && !previous.deleted ? previous : undefined;
  const contributor = live?.contributor ?? ctx.caller.odsCode;
  // A document's bytes are checked and given a Binary, and what it replaces superseded (CONTRACT §6).
  const document = resourceType(type)?.holdsDocuments
    ? await prepareDocument(resource as DocumentReference, patient, ctx)
    : undefined;
  const stored = withServerMeta(withCareProvider(document?.resource ?? resource, contributor), {
    versionId,
    lastUpdated,
    contributor,
  });
  const partition = partitionOf(type, id, patient);
  return {
    interaction,
    write: {
      next: { partition, resource: stored, versionId, lastUpdated, contributor, deleted: false },
      previous,
    },
    patient,
    requiresRegisteredPatient: !identifiedByNhsNumber(type),
    response: {
      status: live ? 200 : 201,
      resource: stored,
      location: `${ctx.fhirBase}/${type}/${id}/_history/${versionId}`,
    },
    events: eventsForChange(live?.resource, stored, {
      patient,
      contributor,
      safeguardingCodes: safeguardingCodes(),
    }),
    ...(document ? { related: document.related, items: document.items, staged: document.staged } : {}),
  };
}

/** The NHS number of the record a stored resource is in. */
function patientIn(stored: StoredResource): string {
  const { resourceType: type, id } = stored.resource as Resource & { id: string };
  return identifiedByNhsNumber(type) ? id : patientOf(stored.resource);
}

/**
 * When another organisation's objection to sharing is being withdrawn (updated so it no longer objects, or
 * deleted), the patient's registered practice, which may withdraw it too (CONTRACT §4); otherwise undefined.
 */
async function objectionWithdrawal(
  live: StoredResource,
  next: Resource | undefined,
  ctx: RequestContext,
): Promise<{ registeredPractice?: string; withdrawsObjection: boolean } | undefined> {
  const objection = resourceType(live.resource.resourceType)?.objection;
  if (!objection || live.contributor === ctx.caller.odsCode || !objection(live.resource)) return undefined;
  if (next && objection(next)) return undefined;
  const nhs = patientOf(live.resource);
  const patient = await readCurrent('Patient', nhs, partitionOf('Patient', nhs));
  const registeredPractice =
    patient && !patient.deleted ? registeredPracticeOf(patient.resource as Patient) : undefined;
  return { ...(registeredPractice ? { registeredPractice } : {}), withdrawsObjection: true };
}

function nhsNumberFromIdentifier(patient: Patient): string {
  const index = (patient.identifier ?? []).findIndex((i) => i.system === NHS_NUMBER_SYSTEM);
  const value = patient.identifier?.[index]?.value;
  if (index < 0 || !value) {
    throw new BadRequestError(
      `A Patient must carry its NHS number as an identifier with system ${NHS_NUMBER_SYSTEM}`,
      'required',
      ['Patient.identifier'],
    );
  }
  const problem = nhsNumberProblem(value);
  if (problem) throw new BadRequestError(problem, 'value', [`Patient.identifier[${index}].value`]);
  return value;
}
