import { createHash } from 'node:crypto';
import { PutCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Resource } from '@medplum/fhirtypes';
import { documentClient, tableName } from '../aws/clients.ts';
import { journalItem } from '../record/journal-entry.ts';
import { currentKey } from '../service/table-design.ts';
import { exportWorkflow } from '../service/workflows.ts';
import { exportAuditEvent } from './export-audit.ts';
import { deleteExportFiles, readFragments, writeManifest, writeParts } from './export-files.ts';
import type { ExportJob, ExportSummary } from './export-job.ts';
import { completeJob, failJob, finishSegment, readJob, startJob } from './export-job-store.ts';
import { bulkManifest } from './export-manifest.ts';
import { pagePatients } from './export-patients.ts';
import { exportableItem, patientOfItem, type ScannedItem } from './export-selection.ts';
import type {
  FailResult,
  FailStep,
  FinishResult,
  FinishStep,
  PlanResult,
  PlanStep,
  ScanSegmentResult,
  ScanSegmentStep,
} from './export-steps.ts';
import { pseudonymKey } from './pseudonym-key.ts';
import { pseudonymised, pseudonymOf } from './pseudonymisation.ts';
import { openCursor, sealCursor } from './scan-cursor.ts';

/**
 * Scan pages (up to 1 MB each) one scan-segment call reads: at most this much of the table is in memory at
 * once and a call ends well inside the worker's 300 s, whatever the region's size.
 */
export const PAGES_PER_CALL = 8;
const pageItems = Number(process.env.EXPORT_SCAN_PAGE_ITEMS) || undefined;

/** Step 1: marks the job running and answers one entry per Scan segment (none if it was cancelled first). */
export async function plan({ exportId }: PlanStep): Promise<PlanResult> {
  const totalSegments = exportWorkflow.segments;
  const started = await startJob(exportId, totalSegments, new Date().toISOString());
  return {
    exportId,
    segments: started
      ? Array.from({ length: totalSegments }, (_, segment) => ({ segment, totalSegments }))
      : [],
  };
}

/**
 * Step 2: reads up to PAGES_PER_CALL pages of one segment from the cursor, keeps what may go out (current,
 * unrestricted resources of the types asked, of patients not opted out), pseudonymises it unless the export
 * is identified, and writes it as NDJSON, one object per type. Stops at once when the job is cancelled.
 */
export async function scanSegment(step: ScanSegmentStep): Promise<ScanSegmentResult> {
  const { exportId, segment, totalSegments } = step;
  const job = await readJob(exportId);
  if (job?.status !== 'in-progress') return { exportId, segment, totalSegments, done: true };
  const key = await pseudonymKey();
  const binding = `${exportId}#${segment}/${totalSegments}`;
  const toLine = lineMaker(job, key);
  const lines = new Map<string, string[]>();
  const counted = { patients: 0, optedOut: 0 };
  let start = step.cursor ? openCursor(key, binding, step.cursor) : undefined;
  for (let page = 0; page < PAGES_PER_CALL; page++) {
    const answer: ScanCommandOutput = await documentClient.send(
      new ScanCommand({
        TableName: tableName(),
        Segment: segment,
        TotalSegments: totalSegments,
        ExclusiveStartKey: start,
        // Pages are DynamoDB's 1 MB unless EXPORT_SCAN_PAGE_ITEMS caps them (the sandbox does, so its small table
        // still takes several calls per segment and runs the cursor loop as a region does).
        ...(pageItems ? { Limit: pageItems } : {}),
        // Journal entries, history and access facts never go out: DynamoDB drops them before they travel.
        FilterExpression: 'NOT begins_with(SK, :underscore)',
        ExpressionAttributeValues: { ':underscore': '_' },
      }),
    );
    const items = (answer.Items ?? []) as ScannedItem[];
    const patients = [...new Set(items.map(patientOfItem).filter((n): n is string => n !== undefined))];
    const facts = await pagePatients(patients, job.request.group);
    for (const item of items) {
      const nhs = patientOfItem(item);
      if (nhs && facts.practices && facts.practices.get(nhs) !== job.request.group) continue;
      const isPatient = nhs !== undefined && item.SK === currentKey('Patient', nhs);
      if (nhs && facts.optedOut.has(nhs)) {
        if (isPatient) counted.optedOut++;
        continue;
      }
      if (isPatient) counted.patients++;
      const resource = exportableItem(item, job.request);
      if (!resource) continue;
      const typeLines = lines.get(resource.resourceType) ?? [];
      typeLines.push(toLine(resource, nhs));
      lines.set(resource.resourceType, typeLines);
    }
    start = answer.LastEvaluatedKey;
    if (!start) break;
  }
  if (lines.size || counted.patients || counted.optedOut) {
    await writeParts(exportId, partName(segment, step.cursor), lines, counted);
  }
  if (!start) await finishSegment(exportId, segment);
  return {
    exportId,
    segment,
    totalSegments,
    ...(start ? { cursor: sealCursor(key, binding, start) } : {}),
    done: !start,
  };
}

/**
 * Step 3: writes the manifest, audits the export and marks it completed; a cancelled export's files are
 * deleted instead (the last call of a segment may have written after the cancel).
 */
export async function finish({ exportId }: FinishStep): Promise<FinishResult> {
  const job = await readJob(exportId);
  if (!job) throw new Error(`No export job ${exportId}`);
  if (job.status === 'cancelled') return cancelled(exportId);
  const files: { type: string; key: string; count: number }[] = [];
  const summary: ExportSummary = { patients: 0, optedOut: 0, resources: {} };
  for await (const fragment of readFragments(exportId)) {
    files.push(...fragment.parts);
    summary.patients += fragment.patients;
    summary.optedOut += fragment.optedOut;
    for (const part of fragment.parts) {
      summary.resources[part.type] = (summary.resources[part.type] ?? 0) + part.count;
    }
  }
  await writeManifest(exportId, bulkManifest(job.transactionTime as string, job.request.url, files, summary));
  // Audited before the manifest can be fetched, as every read is audited before data is returned.
  await audit(job, summary);
  if (!(await completeJob(exportId, summary))) return cancelled(exportId);
  return { exportId, status: 'completed' };
}

/** Step 4 (the state machine's Catch): marks the job failed, keeping only the error's name. */
export async function fail({ exportId, error }: FailStep): Promise<FailResult> {
  // Step Functions passes `{ Error, Cause }`; the cause may quote data, so only the error's name is kept.
  const name = (error as { Error?: unknown } | undefined)?.Error;
  await failJob(exportId, typeof name === 'string' ? name.slice(0, 200) : 'Error');
  return { exportId, status: 'failed' };
}

async function cancelled(exportId: string): Promise<FinishResult> {
  await deleteExportFiles(exportId);
  return { exportId, status: 'cancelled' };
}

/** How one resource becomes a line: pseudonymised (the default) or as stored (an identified export). */
function lineMaker(job: ExportJob, key: Uint8Array): (resource: Resource, nhs?: string) => string {
  if (job.request.identifiedFor) return (resource) => JSON.stringify(resource);
  const pseudonyms = new Map<string, string>();
  const pseudonym = (nhs: string) => {
    const known = pseudonyms.get(nhs);
    if (known) return known;
    const made = pseudonymOf(key, nhs);
    pseudonyms.set(nhs, made);
    return made;
  };
  return (resource, nhs) => {
    const line = JSON.stringify(pseudonymised(resource, pseudonym));
    // The rules above remove every element known to carry the number; this catches one in an unexpected place.
    return nhs && line.includes(nhs) ? line.replaceAll(nhs, pseudonym(nhs)) : line;
  };
}

async function audit(job: ExportJob, summary: ExportSummary): Promise<void> {
  const auditEvent = exportAuditEvent(job, summary, new Date());
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: journalItem({ partition: `EXPORT#${job.exportId}`, auditEvent, events: [] }),
    }),
  );
}

/** A call's objects are named by its segment and start, so a retried call overwrites its own. */
const partName = (segment: number, cursor: string | undefined) =>
  `${String(segment).padStart(3, '0')}-${createHash('sha256')
    .update(cursor ?? 'start')
    .digest('hex')
    .slice(0, 16)}`;
