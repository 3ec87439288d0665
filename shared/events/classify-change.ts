import type {
  Appointment,
  Composition,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  Flag,
  Patient,
  Resource,
  ServiceRequest,
} from '@medplum/fhirtypes';
import { odsCodeOf } from '../access/care-context.ts';
import { resourceType } from '../service/resource-types.ts';
import type { DetailType, OutboxEvent } from './detail-types.ts';
import { SNOMED_SYSTEM } from './safeguarding-codes.ts';

const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** Encounter classes that are admissions: inpatient, acute inpatient, emergency. */
const ADMITTED_CLASSES = ['IMP', 'ACUTE', 'EMER'];

/** What a change is about, for the event's detail: references and codes only. */
export interface ChangeContext {
  patient: string;
  contributor: string;
  safeguardingCodes: string[];
}

/**
 * The events a change to the record raises (CONTRACT §5), from the version before and after it (`undefined`
 * for a create, or for a delete). Only transitions raise events: saving an admitted Encounter again does not.
 */
export function eventsForChange(
  before: Resource | undefined,
  after: Resource | undefined,
  context: ChangeContext,
): OutboxEvent[] {
  const current = after ?? before;
  if (!current || !after) return [];
  const detail = {
    patient: `Patient/${context.patient}`,
    focus: `${current.resourceType}/${current.id}`,
    contributor: context.contributor,
  };
  const raises = resourceType(after.resourceType)?.raises ?? [];
  return raises.flatMap((detailType) => classifiers[detailType]?.(before, after, detail, context) ?? []);
}

type Detail = OutboxEvent['detail'];
/** When a change raises each event: `undefined` before means a create. */
type Classifier = (
  before: Resource | undefined,
  after: Resource,
  detail: Detail,
  context: ChangeContext,
) => OutboxEvent[];

const classifiers: Partial<Record<DetailType, Classifier>> = {
  'Encounter.Admitted': (before, after, detail) =>
    encounterEvents(before as Encounter | undefined, after as Encounter, detail, 'in-progress'),
  'Encounter.Discharged': (before, after, detail) =>
    encounterEvents(before as Encounter | undefined, after as Encounter, detail, 'finished'),
  'Flag.SafeguardingRaised': (before, after, detail, { safeguardingCodes }) =>
    raisesSafeguarding(before as Flag | undefined, after as Flag, safeguardingCodes)
      ? [
          {
            detailType: 'Flag.SafeguardingRaised',
            detail: { ...detail, code: safeguardingCode(after as Flag, safeguardingCodes) },
          },
        ]
      : [],
  'Patient.Deceased': (before, after, detail) =>
    isDeceased(after as Patient) && !isDeceased(before as Patient | undefined)
      ? [{ detailType: 'Patient.Deceased', detail }]
      : [],
  'DocumentReference.Added': (before, after, detail) =>
    isCurrentDocument(after as DocumentReference) &&
    !isCurrentDocument(before as DocumentReference | undefined)
      ? [{ detailType: 'DocumentReference.Added', detail }]
      : [],
  'ServiceRequest.Received': (before, after, detail) =>
    referralsReceived(before as ServiceRequest | undefined, after as ServiceRequest, detail),
  'Appointment.Booked': (before, after, detail) =>
    appointmentEvents(before as Appointment | undefined, after as Appointment, detail, 'booked'),
  'Appointment.Cancelled': (before, after, detail) =>
    appointmentEvents(before as Appointment | undefined, after as Appointment, detail, 'cancelled'),
  'Composition.DischargeSummaryAdded': (before, after, detail) =>
    isDischargeSummary(after as Composition) && !isDischargeSummary(before as Composition | undefined)
      ? [
          {
            detailType: 'Composition.DischargeSummaryAdded',
            detail: withEncounter(detail, after as Composition),
          },
        ]
      : [],
  'DiagnosticReport.Added': (before, after, detail) =>
    isIssuedReport(after as DiagnosticReport) && !isIssuedReport(before as DiagnosticReport | undefined)
      ? [{ detailType: 'DiagnosticReport.Added', detail }]
      : [],
};

/**
 * A referral received: a ServiceRequest becomes active naming organisations as `performer`, one event for each
 * organisation newly named (its `organisation`), so a re-saved referral is not received twice.
 */
function referralsReceived(
  before: ServiceRequest | undefined,
  after: ServiceRequest,
  detail: Detail,
): OutboxEvent[] {
  const receivers = (r: ServiceRequest | undefined) =>
    r?.status === 'active' ? (r.performer ?? []).map(odsCodeOf).filter((c): c is string => !!c) : [];
  const already = receivers(before);
  return [...new Set(receivers(after))]
    .filter((ods) => !already.includes(ods))
    .map((organisation) => ({ detailType: 'ServiceRequest.Received', detail: { ...detail, organisation } }));
}

/** An Appointment that has just reached `status` (booked, cancelled), with what it was booked from. */
function appointmentEvents(
  before: Appointment | undefined,
  after: Appointment,
  detail: Detail,
  status: 'booked' | 'cancelled',
): OutboxEvent[] {
  if (after.status !== status || before?.status === status) return [];
  const detailType = status === 'booked' ? 'Appointment.Booked' : 'Appointment.Cancelled';
  const basedOn = (after.basedOn ?? []).flatMap((r) => (r.reference ? [r.reference] : []));
  return [{ detailType, detail: { ...detail, ...(basedOn.length ? { basedOn } : {}) } }];
}

/** The statuses in which a report's results can be acted on: issued, whether or not final. */
const ISSUED_REPORT = ['preliminary', 'final', 'amended', 'corrected', 'appended'];

function isIssuedReport(r: DiagnosticReport | undefined): boolean {
  return ISSUED_REPORT.includes(r?.status ?? '');
}

/** LOINC's discharge summary document type. */
const DISCHARGE_SUMMARY = { system: 'http://loinc.org', code: '18842-5' };

/** A discharge summary that can be relied on: final or amended, not a preliminary draft. */
function isDischargeSummary(c: Composition | undefined): boolean {
  const typed = c?.type?.coding?.some(
    (t) => t.system === DISCHARGE_SUMMARY.system && t.code === DISCHARGE_SUMMARY.code,
  );
  return typed === true && (c?.status === 'final' || c?.status === 'amended');
}

/** The summary's Encounter in its detail: what ties it to that Encounter's `Encounter.Discharged`. */
function withEncounter(detail: Detail, composition: Composition): Detail {
  const encounter = composition.encounter?.reference;
  return encounter ? { ...detail, encounter } : detail;
}

/** An admission (`in-progress`) or discharge (`finished`) of an inpatient or emergency Encounter. */
function encounterEvents(
  before: Encounter | undefined,
  after: Encounter,
  detail: Detail,
  status: 'in-progress' | 'finished',
): OutboxEvent[] {
  const admitted =
    after.class?.system === ACT_CODE_SYSTEM && ADMITTED_CLASSES.includes(after.class.code ?? '');
  if (!admitted || before?.status === after.status || after.status !== status) return [];
  const detailType = status === 'in-progress' ? 'Encounter.Admitted' : 'Encounter.Discharged';
  return [{ detailType, detail: { ...detail, class: after.class?.code } }];
}

function safeguardingCode(flag: Flag, codes: string[]): string | undefined {
  return flag.code?.coding?.find((c) => c.system === SNOMED_SYSTEM && codes.includes(c.code ?? ''))?.code;
}

function raisesSafeguarding(before: Flag | undefined, after: Flag, codes: string[]): boolean {
  const concern = (f: Flag | undefined) => f?.status === 'active' && safeguardingCode(f, codes) !== undefined;
  return concern(after) && !concern(before);
}

function isDeceased(p: Patient | undefined): boolean {
  return p?.deceasedBoolean === true || p?.deceasedDateTime !== undefined;
}

function isCurrentDocument(d: DocumentReference | undefined): boolean {
  return d?.status === 'current';
}
