import type { EndUser } from '../audit/audit-event.ts';
import type { ExportRequest } from './export-request.ts';

/** Where an export is: Bulk Data's states, plus cancelled (answered 404 from then on). */
export type ExportStatus = 'accepted' | 'in-progress' | 'completed' | 'failed' | 'cancelled';

/** What an export sent, for the manifest and the audit. */
export interface ExportSummary {
  /** Patients whose records were in scope and sent (those not opted out, in the group if one was asked for). */
  patients: number;
  /** Patients left out because they are on the national data opt-out register. */
  optedOut: number;
  /** Resources sent, by type. */
  resources: Record<string, number>;
}

/** A bulk export job, as its table item holds it (`exportJobKey`). */
export interface ExportJob {
  exportId: string;
  status: ExportStatus;
  request: ExportRequest;
  /** Who asked: only this client may poll or cancel it. */
  clientId: string;
  odsCode: string;
  /** The analyst using the client (`NHSD-End-User-Id`, `NHSD-End-User-Role`), named in the audit. */
  endUser?: EndUser;
  createdAt: string;
  /** Segments of the parallel Scan, once planned; which of them are finished. */
  totalSegments?: number;
  segmentsDone?: number[];
  /** When the export's data was read from (the manifest's `transactionTime`). */
  transactionTime?: string;
  summary?: ExportSummary;
  /** Why it failed, for the operator (no patient data: an error name and message). */
  error?: string;
}

/**
 * Bulk Data's `X-Progress` while an export runs: how many of its Scan segments are finished.
 * @example exportProgress({ status: 'in-progress', totalSegments: 16, segmentsDone: [0, 3] }) // '2 of 16 segments scanned'
 */
export function exportProgress(job: Pick<ExportJob, 'status' | 'totalSegments' | 'segmentsDone'>): string {
  if (job.status === 'accepted' || !job.totalSegments) return 'accepted, starting';
  return `${job.segmentsDone?.length ?? 0} of ${job.totalSegments} segments scanned`;
}
