import type { Patient, Resource } from '@medplum/fhirtypes';
import { resourceVisible } from '../access/access-policy.ts';
import type { RequestContext } from '../http/request-context.ts';
import { auditedRecordAccess } from '../interactions/audited-access.ts';
import { readRecordPage } from '../record/record-store.ts';
import { patientPartition } from '../service/table-design.ts';

/** One item of the record as the viewer shows it: the resource, who recorded it and when. */
export interface RecordEntry {
  resource: Resource;
  /** ODS code of the organisation that recorded it. */
  contributor: string;
  lastUpdated: string;
}

/** The joined-up record of one patient as one person may see it now. */
export interface ViewerRecord {
  patient: Patient;
  entries: RecordEntry[];
  /** Emergency access: every page says so. */
  breakGlass: boolean;
  /** The patient objects to sharing and it limits this view (break-glass lifts it). */
  limitedByObjection: boolean;
}

/** Record pages are read 100 items at a time (DynamoDB's 1 MB page holds far more, but items can be large). */
const PAGE_ITEMS = 100;

/**
 * Reads the whole record a viewer page shows, under the API's own access rules and audit: the same access
 * decision as `$everything` (relationship, break-glass, scopes), the same per-resource visibility (labels,
 * objection), and one AuditEvent per page naming the person, written before the page is rendered.
 * Refusals throw as the API's do (403, 404).
 */
export async function readViewerRecord(
  ctx: RequestContext,
  nhs: string,
  page: string,
): Promise<ViewerRecord> {
  return auditedRecordAccess(
    ctx,
    nhs,
    { interaction: 'operation', resourceType: 'Patient', permission: 'r', query: `viewer:${page}` },
    async ({ facts, decision }) => {
      const entries: RecordEntry[] = [];
      let patient: Patient | undefined;
      let after: string | undefined;
      do {
        const page = await readRecordPage(patientPartition(nhs), PAGE_ITEMS, after);
        for (const r of page.resources) {
          if (r.deleted || !resourceVisible(ctx.caller, decision, facts, r.resource, r.contributor)) continue;
          if (r.resource.resourceType === 'Patient') patient = r.resource as Patient;
          else entries.push({ resource: r.resource, contributor: r.contributor, lastUpdated: r.lastUpdated });
        }
        after = page.lastKey;
      } while (after);
      const breakGlass = decision.basis === 'break-glass';
      return {
        value: {
          patient: patient ?? { resourceType: 'Patient', id: nhs },
          entries,
          breakGlass,
          limitedByObjection: facts.sharingObjection && !breakGlass,
        },
        references: [
          ...(patient ? [`Patient/${nhs}`] : []),
          ...entries.map((e) => `${e.resource.resourceType}/${e.resource.id}`),
        ],
      };
    },
  );
}
