import type {
  AllergyIntolerance,
  CarePlan,
  Condition,
  DocumentReference,
  Encounter,
  EpisodeOfCare,
  Flag,
  Immunization,
  MedicationStatement,
  Observation,
  Procedure,
  Resource,
  ServiceRequest,
} from '@medplum/fhirtypes';
import { safeguardingCodes } from '../events/safeguarding-codes.ts';
import { conceptText, displayDate, displayPeriod, displayQuantity } from './fhir-display.ts';

/** A coloured NHS tag beside an entry's title. */
export interface EntryTag {
  text: string;
  colour: 'red' | 'orange' | 'yellow' | 'grey' | 'blue' | 'green';
}

/** What a person reads of one record entry. */
export interface EntrySummary {
  title: string;
  detail?: string;
  /** When it happened (clinically), as shown. */
  when?: string;
  /** Sorts entries newest first (ISO date or dateTime). */
  sortDate?: string;
  tags: EntryTag[];
  /** `Binary/{id}` of a document the record stores, opened through the viewer's audited document route. */
  binary?: string;
}

type Summariser<T extends Resource> = (resource: T) => EntrySummary;

const status = (value: string | undefined, quiet: string[] = []): EntryTag[] =>
  value && !quiet.includes(value) ? [{ text: value.replace(/-/g, ' '), colour: 'grey' }] : [];

const CRITICALITY: Record<string, EntryTag> = {
  high: { text: 'High criticality', colour: 'red' },
  low: { text: 'Low criticality', colour: 'yellow' },
  'unable-to-assess': { text: 'Criticality not assessed', colour: 'grey' },
};

const ADMISSION_CLASSES = new Set(['IMP', 'ACUTE', 'EMER']);

/** True for an active Flag whose code is on the deployment's safeguarding list (CONTRACT §5). */
export function isSafeguardingFlag(flag: Flag): boolean {
  const codes = safeguardingCodes();
  return flag.status === 'active' && (flag.code.coding ?? []).some((c) => codes.includes(c.code ?? ''));
}

/**
 * How each resource type reads in the viewer, one summariser per type: adding a type to the viewer is adding
 * its summariser here and naming it in a section (record-sections.ts).
 */
export const summarisers: { [type: string]: Summariser<never> } = {
  AllergyIntolerance: ((a: AllergyIntolerance) => ({
    title: conceptText(a.code) ?? 'Allergy or adverse reaction',
    detail: a.reaction
      ?.flatMap((r) => r.manifestation?.map(conceptText) ?? [])
      .filter(Boolean)
      .join(', '),
    when: displayDate(a.onsetDateTime ?? a.recordedDate),
    sortDate: a.onsetDateTime ?? a.recordedDate,
    tags: [
      ...(a.criticality ? [CRITICALITY[a.criticality] as EntryTag] : []),
      ...status(conceptText(a.clinicalStatus)?.toLowerCase(), ['active']),
    ],
  })) satisfies Summariser<AllergyIntolerance>,

  Flag: ((f: Flag) => ({
    title: conceptText(f.code) ?? 'Flag',
    when: f.period?.end ? displayPeriod(f.period) : displayDate(f.period?.start),
    sortDate: f.period?.start,
    tags: [
      ...(isSafeguardingFlag(f) ? [{ text: 'Safeguarding', colour: 'red' } as const] : []),
      ...status(f.status, ['active']),
    ],
  })) satisfies Summariser<Flag>,

  MedicationStatement: ((m: MedicationStatement) => ({
    title: conceptText(m.medicationCodeableConcept) ?? m.medicationReference?.display ?? 'Medication',
    detail: m.dosage
      ?.map((d) => d.text)
      .filter(Boolean)
      .join('; '),
    when: displayPeriod(m.effectivePeriod) ?? displayDate(m.effectiveDateTime ?? m.dateAsserted),
    sortDate: m.effectivePeriod?.start ?? m.effectiveDateTime ?? m.dateAsserted,
    tags: status(m.status, ['active']),
  })) satisfies Summariser<MedicationStatement>,

  Condition: ((c: Condition) => ({
    title: conceptText(c.code) ?? 'Problem',
    when: displayDate(c.onsetDateTime ?? c.recordedDate),
    sortDate: c.onsetDateTime ?? c.recordedDate,
    tags: status(conceptText(c.clinicalStatus)?.toLowerCase(), ['active']),
  })) satisfies Summariser<Condition>,

  Encounter: ((e: Encounter) => ({
    title: ADMISSION_CLASSES.has(e.class?.code ?? '')
      ? `Admission${e.type?.[0] ? `: ${conceptText(e.type[0])}` : ''}`
      : (conceptText(e.type?.[0]) ?? e.class?.display ?? 'Encounter'),
    detail: e.reasonCode?.map(conceptText).filter(Boolean).join(', '),
    when: displayPeriod(e.period),
    sortDate: e.period?.start,
    tags: status(e.status, ['finished']),
  })) satisfies Summariser<Encounter>,

  EpisodeOfCare: ((e: EpisodeOfCare) => ({
    title: `Episode of care${e.type?.[0] ? `: ${conceptText(e.type[0])}` : ''}`,
    when: displayPeriod(e.period),
    sortDate: e.period?.start,
    tags: status(e.status, ['finished']),
  })) satisfies Summariser<EpisodeOfCare>,

  ServiceRequest: ((s: ServiceRequest) => ({
    title: `Referral: ${conceptText(s.code) ?? 'service request'}`,
    detail: s.performer?.map((p) => p.display ?? p.reference?.replace('Organization/', '')).join(', '),
    when: displayDate(s.authoredOn),
    sortDate: s.authoredOn,
    tags: status(s.status, ['completed']),
  })) satisfies Summariser<ServiceRequest>,

  CarePlan: ((p: CarePlan) => ({
    title: p.title ?? conceptText(p.category?.[0]) ?? 'Care plan',
    detail: p.description,
    when: displayPeriod(p.period),
    sortDate: p.period?.start ?? p.created,
    tags: status(p.status),
  })) satisfies Summariser<CarePlan>,

  Observation: ((o: Observation) => ({
    title: conceptText(o.code) ?? 'Observation',
    detail:
      displayQuantity(o.valueQuantity) ?? o.valueString ?? conceptText(o.valueCodeableConcept) ?? undefined,
    when: displayDate(o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued),
    sortDate: o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued,
    tags: (o.category ?? []).some((c) => c.coding?.some((x) => x.code === 'social-history'))
      ? [{ text: 'Social factor', colour: 'blue' }]
      : [],
  })) satisfies Summariser<Observation>,

  Immunization: ((i: Immunization) => ({
    title: conceptText(i.vaccineCode) ?? 'Immunisation',
    when: displayDate(i.occurrenceDateTime),
    sortDate: i.occurrenceDateTime,
    tags: status(i.status, ['completed']),
  })) satisfies Summariser<Immunization>,

  Procedure: ((p: Procedure) => ({
    title: conceptText(p.code) ?? 'Procedure',
    when: displayDate(p.performedDateTime) ?? displayPeriod(p.performedPeriod),
    sortDate: p.performedDateTime ?? p.performedPeriod?.start,
    tags: status(p.status, ['completed']),
  })) satisfies Summariser<Procedure>,

  DocumentReference: ((d: DocumentReference) => {
    const attachment = d.content?.[0]?.attachment;
    const binary = attachment?.url?.match(/(?:^|\/)(Binary\/[A-Za-z0-9.-]{1,64})$/)?.[1];
    return {
      title: attachment?.title ?? d.description ?? conceptText(d.type) ?? 'Document',
      detail: conceptText(d.type),
      when: displayDate(d.date),
      sortDate: d.date,
      tags: status(d.status, ['current']),
      ...(binary ? { binary } : {}),
    };
  }) satisfies Summariser<DocumentReference>,
};

/** The summary of any resource: its type's summariser, or its type name for a type the viewer does not know yet. */
export function summarise(resource: Resource): EntrySummary {
  const summariser = summarisers[resource.resourceType] as Summariser<Resource> | undefined;
  return summariser ? summariser(resource) : { title: resource.resourceType, tags: [] };
}
