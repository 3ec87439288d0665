import type { ExportSummary } from './export-job.ts';

/** Where a manifest says how many patients the national data opt-out left out. */
export const OPTED_OUT_EXTENSION = 'https://shared-care-record.org/fhir/bulk-export/optedOutPatients';
/** Where it says how many patients' records were in the export. */
export const PATIENTS_EXTENSION = 'https://shared-care-record.org/fhir/bulk-export/patients';

/** A Bulk Data (v2) completion manifest, as the status URL answers it with 200. */
export interface BulkManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  error: { type: string; url: string }[];
  extension: Record<string, unknown>;
}

/**
 * The manifest of a finished export (Bulk Data Access IG v2), its file locations still to be made URLs: one
 * `output` per NDJSON file, in type order; `error` is empty, since a resource the export cannot send fails the
 * export rather than being skipped quietly; `extension` (the IG's place for server-specific fields) counts the
 * patients sent and those left out by the national data opt-out.
 */
export function bulkManifest(
  transactionTime: string,
  request: string,
  files: { type: string; key: string; count: number }[],
  summary: ExportSummary,
): Omit<BulkManifest, 'output'> & { output: { type: string; key: string; count: number }[] } {
  return {
    transactionTime,
    request,
    // false: each file URL is a presigned S3 GET that carries its own short-lived authorisation, so a tool
    // downloads it without the API's token (which S3 would not accept anyway).
    requiresAccessToken: false,
    output: [...files].sort((a, b) => a.type.localeCompare(b.type) || a.key.localeCompare(b.key)),
    error: [],
    extension: { [PATIENTS_EXTENSION]: summary.patients, [OPTED_OUT_EXTENSION]: summary.optedOut },
  };
}
