import type { APIGatewayProxyResult } from 'aws-lambda';
import { isOdsCode } from '../fhir/ods-code.ts';
import { BadRequestError, NotFoundError, operationOutcome } from '../fhir/operation-outcome.ts';
import { callerOf } from '../http/caller.ts';
import type { FhirRequest } from '../http/fhir-request.ts';
import { FHIR_JSON } from '../http/fhir-response.ts';
import { requestContext } from '../http/request-context.ts';
import { searchQuery } from '../http/search-query.ts';
import { FHIR_BASE_PATH } from '../service/routes.ts';
import { deleteExportFiles, downloadUrl, readManifest } from './export-files.ts';
import { exportProgress } from './export-job.ts';
import { cancelJob, createJob, failJob, readJob } from './export-job-store.ts';
import type { BulkManifest } from './export-manifest.ts';
import { type ExportLevel, exportRequest, type IdentifiedPurpose } from './export-request.ts';
import { startExport } from './export-starter.ts';

/** How long a client is asked to wait between polls while an export runs. */
const RETRY_AFTER_SECONDS = 5;

const LEVELS: Record<string, ExportLevel> = {
  'export-system': 'system',
  'export-patient': 'patient',
  'export-group': 'group',
};

/**
 * A Bulk Data kick-off: checks it, writes the job and starts the workflow; 202 with the status URL in
 * `Content-Location`. The caller is an analyst (`callerOf` refuses anyone else).
 */
export async function kickOff(r: FhirRequest): Promise<APIGatewayProxyResult> {
  const { caller, endUser, purpose } = requestContext(r.event, r.fhirBase);
  // Break-glass is for a patient in front of a clinician; a population export never breaks the glass.
  if (purpose.code !== 'TREAT') {
    throw new BadRequestError(
      'NHSD-Purpose-Of-Use ETREAT (break-glass) does not apply to bulk export',
      'value',
    );
  }
  const level = LEVELS[r.interaction] as ExportLevel;
  // A group is a practice's registered list, named by its ODS code.
  if (level === 'group' && !isOdsCode(r.id ?? '')) throw new NotFoundError(`Group/${r.id} is not known`);
  const query = searchQuery(r.event);
  const request = exportRequest({
    level,
    ...(level === 'group' ? { group: r.id } : {}),
    prefer: r.event.headers.prefer,
    query,
    url: kickOffUrl(r, query),
    purposes: identifiedPurposes(),
  });
  const exportId = crypto.randomUUID();
  await createJob({
    exportId,
    status: 'accepted',
    request,
    clientId: caller.clientId,
    odsCode: caller.odsCode,
    ...(endUser ? { endUser } : {}),
    createdAt: new Date().toISOString(),
  });
  try {
    await startExport(exportId);
  } catch (e) {
    await failJob(exportId, (e as Error).name);
    throw e;
  }
  return outcome(202, 'The export has started: poll the URL in Content-Location', {
    'Content-Location': `${r.fhirBase}/$export-status/${exportId}`,
  });
}

/**
 * The status URL: 202 with `X-Progress` while running, 200 with the manifest (its files as presigned URLs) when
 * done, 500 with an OperationOutcome when it failed; 404 for an export that is not the caller's, or cancelled.
 */
export async function exportStatus(r: FhirRequest): Promise<APIGatewayProxyResult> {
  const job = await callersJob(r);
  if (job.status === 'accepted' || job.status === 'in-progress') {
    return outcome(202, 'The export is running', {
      'X-Progress': exportProgress(job),
      'Retry-After': String(RETRY_AFTER_SECONDS),
    });
  }
  if (job.status === 'failed') {
    return outcome(
      500,
      'The export failed: nothing was exported. Start it again; if it fails again, tell the ICB.',
      {},
      'exception',
    );
  }
  const manifest = await readManifest<
    Omit<BulkManifest, 'output'> & { output: { type: string; key: string; count: number }[] }
  >(job.exportId).catch((e: Error) => {
    // The bucket's lifecycle rule expires an export's files; the job may outlive them by a little.
    if (e.name === 'NoSuchKey') throw new NotFoundError(`The files of export ${job.exportId} have expired`);
    throw e;
  });
  const output = await Promise.all(
    manifest.output.map(async ({ type, key, count }) => ({ type, url: await downloadUrl(key), count })),
  );
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...manifest, output } satisfies BulkManifest),
  };
}

/** DELETE on the status URL: cancels the export and deletes its files; the status URL is 404 from then on. */
export async function cancelExport(r: FhirRequest): Promise<APIGatewayProxyResult> {
  const job = await callersJob(r);
  if (!(await cancelJob(job.exportId))) throw gone(job.exportId);
  // Steps still running stop at their next call; finish deletes whatever they wrote after this.
  await deleteExportFiles(job.exportId);
  return outcome(202, 'The export is cancelled and its files deleted');
}

async function callersJob(r: FhirRequest) {
  const caller = callerOf(r.event);
  const id = r.id ?? '';
  const job = /^[0-9a-f-]{36}$/.test(id) ? await readJob(id) : undefined;
  // Another client's export is answered as one that does not exist: nothing says whose it is.
  if (!job || job.clientId !== caller.clientId || job.status === 'cancelled') throw gone(id);
  return job;
}

const gone = (id: string) => new NotFoundError(`There is no export ${id} (or it was cancelled)`);

function outcome(
  statusCode: number,
  diagnostics: string,
  headers: Record<string, string> = {},
  code: 'informational' | 'exception' = 'informational',
): APIGatewayProxyResult {
  const severity = code === 'exception' ? 'error' : 'information';
  return {
    statusCode,
    headers: { 'Content-Type': FHIR_JSON, ...headers },
    body: JSON.stringify(operationOutcome([{ severity, code, diagnostics }])),
  };
}

/** The kick-off URL as the client sent it, for the manifest's `request` (commas and colons left readable). */
function kickOffUrl(r: FhirRequest, query: Record<string, string[]>): string {
  const path = r.event.path.slice(r.event.path.indexOf(FHIR_BASE_PATH) + FHIR_BASE_PATH.length);
  const pairs = Object.entries(query).flatMap(([name, values]) =>
    values.map(
      (v) => `${encodeURIComponent(name)}=${encodeURIComponent(v).replace(/%2C/g, ',').replace(/%3A/g, ':')}`,
    ),
  );
  return `${r.fhirBase}${path}${pairs.length ? `?${pairs.join('&')}` : ''}`;
}

/** The purposes an identified export may be for: `EXPORT_IDENTIFIED_PURPOSES`, JSON, set by the stack. */
function identifiedPurposes(): IdentifiedPurpose[] {
  const listed = JSON.parse(process.env.EXPORT_IDENTIFIED_PURPOSES ?? '[]') as unknown;
  if (!Array.isArray(listed)) throw new Error('EXPORT_IDENTIFIED_PURPOSES must be a JSON list');
  return listed.filter(
    (p): p is IdentifiedPurpose => typeof p?.code === 'string' && typeof p?.description === 'string',
  );
}
