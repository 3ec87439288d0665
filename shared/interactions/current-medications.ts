import type {
  CodeableConcept,
  Medication,
  MedicationDispense,
  MedicationRequest,
  MedicationStatement,
  Parameters,
  ParametersParameter,
  Resource,
} from '@medplum/fhirtypes';
import { resourceVisible } from '../access/access-policy.ts';
import { ODS_CODE_SYSTEM } from '../fhir/ods-code.ts';
import { BadRequestError } from '../fhir/operation-outcome.ts';
import { assertNhsNumberId } from '../fhir/patient-identity.ts';
import type { RequestContext } from '../http/request-context.ts';
import { readCurrentOfType, type StoredResource } from '../record/record-store.ts';
import { patientPartition } from '../service/table-design.ts';
import { auditedRecordAccess } from './audited-access.ts';

/** The types a medication list is made from: what was recorded as taken, prescribed and dispensed. */
export const MEDICATION_TYPES = ['MedicationStatement', 'MedicationRequest', 'MedicationDispense'] as const;

/**
 * How long a dispensing counts as current when it says nothing of its supply: 90 days covers the usual 28- and
 * 56-day repeat cycles and a three-month supply; a `daysSupply` longer than that stretches it.
 */
export const RECENT_DISPENSING_DAYS = 90;

const DAY_MS = 86_400_000;
/** dm+d concepts are SNOMED CT concepts: a code in either system names the same medicine. */
const MEDICINE_SYSTEMS = new Set(['http://snomed.info/sct', 'https://dmd.nhs.uk']);
const STATEMENT_CURRENT = new Set(['active', 'intended']);
const PRESCRIPTION_CURRENT = new Set(['active']);
// A proposal or plan is not a prescription yet; an order (of any kind) is.
const PRESCRIPTION_INTENTS = new Set([
  'order',
  'original-order',
  'reflex-order',
  'filler-order',
  'instance-order',
]);
const DISPENSE_DONE = new Set(['completed', 'in-progress']);

/** One source of a medication in the list: the resource, who recorded it, when, and its status. */
export interface MedicationSource {
  resource: Resource;
  organisation: string;
  date?: string;
  status?: string;
}

/** One medication the patient currently takes, with every source that says so. */
export interface CurrentMedication {
  medication: CodeableConcept;
  sources: MedicationSource[];
}

/**
 * Whether a statement, prescription or dispensing says the patient takes the medicine now (at `now`):
 * - a MedicationStatement that is `active` or `intended`;
 * - a MedicationRequest that is an `active` order (not a proposal or plan) whose validity period, if given,
 *   has not ended;
 * - a MedicationDispense `completed` or `in-progress`, handed over (or prepared) within the last
 *   `RECENT_DISPENSING_DAYS` days, or within its `daysSupply` when that is longer.
 */
export function isCurrent(resource: Resource, now: number): boolean {
  switch (resource.resourceType) {
    case 'MedicationStatement':
      return STATEMENT_CURRENT.has(resource.status ?? '');
    case 'MedicationRequest': {
      const end = resource.dispenseRequest?.validityPeriod?.end;
      return (
        PRESCRIPTION_CURRENT.has(resource.status ?? '') &&
        PRESCRIPTION_INTENTS.has(resource.intent ?? '') &&
        !(end && Date.parse(end) < now)
      );
    }
    case 'MedicationDispense': {
      const when = Date.parse(resource.whenHandedOver ?? resource.whenPrepared ?? '');
      const supplyDays =
        resource.daysSupply?.unit === 'd' || resource.daysSupply?.code === 'd'
          ? (resource.daysSupply.value ?? 0)
          : 0;
      const days = Math.max(RECENT_DISPENSING_DAYS, supplyDays);
      return DISPENSE_DONE.has(resource.status ?? '') && !Number.isNaN(when) && now - when <= days * DAY_MS;
    }
    default:
      return false;
  }
}

/**
 * The patient's current medications from the resources given (already those the caller may see): one entry
 * per medicine, however many organisations recorded it, each source kept and named. Medicines are the same when
 * they share a SNOMED CT / dm+d code, else when their text is the same. Most recently evidenced first.
 */
export function currentMedicationList(resources: StoredResource[], now: number): CurrentMedication[] {
  const byMedicine = new Map<string, CurrentMedication>();
  for (const stored of resources) {
    const resource = stored.resource as MedicationStatement | MedicationRequest | MedicationDispense;
    if (stored.deleted || !isCurrent(resource, now)) continue;
    const medication = medicationOf(resource);
    if (!medication) continue;
    const key = medicineKey(medication);
    const source: MedicationSource = {
      resource,
      organisation: stored.contributor,
      ...(dateOf(resource) ? { date: dateOf(resource) } : {}),
      ...(resource.status ? { status: resource.status } : {}),
    };
    const entry = byMedicine.get(key);
    if (entry) entry.sources.push(source);
    else byMedicine.set(key, { medication, sources: [source] });
  }
  const latest = (m: CurrentMedication) =>
    m.sources
      .map((s) => s.date ?? '')
      .sort()
      .at(-1) ?? '';
  for (const m of byMedicine.values()) m.sources.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
  return [...byMedicine.values()].sort((a, b) => latest(b).localeCompare(latest(a)));
}

/** The medicine a resource is about: its `medicationCodeableConcept`, or the code of its contained Medication. */
function medicationOf(
  resource: MedicationStatement | MedicationRequest | MedicationDispense,
): CodeableConcept | undefined {
  if (resource.medicationCodeableConcept) return resource.medicationCodeableConcept;
  const reference = resource.medicationReference?.reference;
  if (!reference?.startsWith('#'))
    return resource.medicationReference?.display ? { text: resource.medicationReference.display } : undefined;
  const contained = (resource.contained ?? []).find(
    (c): c is Medication => c.resourceType === 'Medication' && c.id === reference.slice(1),
  );
  return contained?.code;
}

function medicineKey(concept: CodeableConcept): string {
  const coded = concept.coding?.find((c) => c.code && MEDICINE_SYSTEMS.has(c.system ?? ''));
  if (coded) return `code|${coded.code}`;
  const first = concept.coding?.find((c) => c.code);
  if (first) return `${first.system ?? ''}|${first.code}`;
  return `text|${(concept.text ?? concept.coding?.[0]?.display ?? '').trim().toLowerCase()}`;
}

function dateOf(resource: MedicationStatement | MedicationRequest | MedicationDispense): string | undefined {
  switch (resource.resourceType) {
    case 'MedicationStatement':
      return resource.effectiveDateTime ?? resource.effectivePeriod?.start ?? resource.dateAsserted;
    case 'MedicationRequest':
      return resource.authoredOn;
    case 'MedicationDispense':
      return resource.whenHandedOver ?? resource.whenPrepared;
  }
}

/**
 * `GET /Patient/{nhs}/$current-medications`: what the patient currently takes, from every organisation's
 * statements, prescriptions and dispensings the caller may see (the access rules of `$everything`), as a
 * `Parameters` with one `medication` per medicine and a `source` part for each resource that evidences it.
 */
export async function currentMedications(
  type: string,
  nhs: string,
  query: Record<string, string[]>,
  ctx: RequestContext,
  now = Date.now(),
): Promise<Parameters> {
  if (type !== 'Patient') {
    throw new BadRequestError('$current-medications is an operation on Patient', 'not-supported');
  }
  assertNhsNumberId(nhs);
  const unknown = Object.keys(query);
  if (unknown.length) {
    throw new BadRequestError(
      `$current-medications takes no parameters (not ${unknown.join(', ')})`,
      'not-supported',
    );
  }
  const spec = {
    interaction: 'operation',
    resourceType: 'Patient',
    permission: 'r' as const,
    query: '$current-medications',
  };
  return auditedRecordAccess(ctx, nhs, spec, async ({ facts, decision }) => {
    const partition = patientPartition(nhs);
    const stored = (await Promise.all(MEDICATION_TYPES.map((t) => readCurrentOfType(partition, t)))).flat();
    const visible = stored.filter((r) =>
      resourceVisible(ctx.caller, decision, facts, r.resource, r.contributor),
    );
    const list = currentMedicationList(visible, now);
    const parameters: Parameters = {
      resourceType: 'Parameters',
      parameter: list.map((m) => ({
        name: 'medication',
        part: [{ name: 'code', valueCodeableConcept: m.medication }, ...m.sources.map(sourcePart)],
      })),
    };
    const references = list.flatMap((m) =>
      m.sources.map((s) => `${s.resource.resourceType}/${s.resource.id}`),
    );
    return { value: parameters, references };
  });
}

function sourcePart(source: MedicationSource): ParametersParameter {
  return {
    name: 'source',
    part: [
      { name: 'type', valueCode: source.resource.resourceType },
      { name: 'organisation', valueIdentifier: { system: ODS_CODE_SYSTEM, value: source.organisation } },
      ...(source.date ? [{ name: 'date', valueDateTime: source.date }] : []),
      ...(source.status ? [{ name: 'status', valueCode: source.status }] : []),
      { name: 'resource', resource: source.resource },
    ],
  };
}
