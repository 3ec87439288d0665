import type { Flag } from '@medplum/fhirtypes';
import { type EntrySummary, isSafeguardingFlag, summarise } from './entry-summaries.ts';
import type { RecordEntry } from './viewer-record.ts';

/** One section of the record page and the resource types it lists. */
export interface RecordSection {
  id: string;
  title: string;
  types: string[];
  /** Said when the section is empty. */
  empty: string;
}

/**
 * The record's sections in the order the page shows them, after the alerts. A type the record starts holding
 * (MedicationRequest, DiagnosticReport, Composition) joins a section here, with its summariser.
 */
export const recordSections: RecordSection[] = [
  {
    id: 'medications',
    title: 'Medications',
    types: ['MedicationStatement'],
    empty: 'No medications recorded',
  },
  { id: 'problems', title: 'Problems', types: ['Condition'], empty: 'No problems recorded' },
  {
    id: 'timeline',
    title: 'Encounters, admissions and referrals',
    types: ['Encounter', 'EpisodeOfCare', 'ServiceRequest'],
    empty: 'No encounters recorded',
  },
  { id: 'care-plans', title: 'Care plans', types: ['CarePlan'], empty: 'No care plans recorded' },
  {
    id: 'observations',
    title: 'Observations and social factors',
    types: ['Observation'],
    empty: 'No observations recorded',
  },
  {
    id: 'immunisations',
    title: 'Immunisations',
    types: ['Immunization'],
    empty: 'No immunisations recorded',
  },
  { id: 'procedures', title: 'Procedures', types: ['Procedure'], empty: 'No procedures recorded' },
  { id: 'documents', title: 'Documents and letters', types: ['DocumentReference'], empty: 'No documents' },
];

/** Types the page shows elsewhere (alerts, Tasks, the objection notice) or not at all. */
const SHOWN_ELSEWHERE = new Set(['AllergyIntolerance', 'Flag', 'Task', 'Consent', 'Organization', 'Patient']);

/** An entry with its summary, ready to render. */
export interface SummarisedEntry {
  entry: RecordEntry;
  summary: EntrySummary;
}

/** The alerts that open the page: safeguarding flags first, then other active flags, then allergies. */
export interface Alerts {
  safeguarding: SummarisedEntry[];
  flags: SummarisedEntry[];
  allergies: SummarisedEntry[];
}

const newestFirst = (a: SummarisedEntry, b: SummarisedEntry) =>
  (b.summary.sortDate ?? b.entry.lastUpdated).localeCompare(a.summary.sortDate ?? a.entry.lastUpdated);

const summarised = (entries: RecordEntry[]) =>
  entries.map((entry) => ({ entry, summary: summarise(entry.resource) })).sort(newestFirst);

/** Splits the record into alerts, each section's entries (newest first), and whatever no section lists yet. */
export function groupRecord(entries: RecordEntry[]): {
  alerts: Alerts;
  sections: { section: RecordSection; items: SummarisedEntry[] }[];
  other: SummarisedEntry[];
} {
  const byType = Map.groupBy(entries, (e): string => e.resource.resourceType);
  const of = (type: string) => byType.get(type) ?? [];
  const activeFlags = of('Flag').filter((e) => (e.resource as Flag).status === 'active');
  const listed = new Set(recordSections.flatMap((s) => s.types));
  return {
    alerts: {
      safeguarding: summarised(activeFlags.filter((e) => isSafeguardingFlag(e.resource as Flag))),
      flags: summarised(activeFlags.filter((e) => !isSafeguardingFlag(e.resource as Flag))),
      allergies: summarised(of('AllergyIntolerance')),
    },
    sections: recordSections.map((section) => ({
      section,
      items: summarised(section.types.flatMap(of)),
    })),
    other: summarised(
      entries.filter(
        (e) => !listed.has(e.resource.resourceType) && !SHOWN_ELSEWHERE.has(e.resource.resourceType),
      ),
    ),
  };
}
