import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../aws/clients.ts';
import { exportJobKey } from '../service/table-design.ts';
import type { ExportJob, ExportStatus, ExportSummary } from './export-job.ts';

/** How long a job (and, by the bucket's lifecycle rule, its files) is kept: 7 days. */
const KEEP_SECONDS = 7 * 24 * 3600;
const RUNNING: ExportStatus[] = ['accepted', 'in-progress'];

export async function createJob(job: ExportJob): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...exportJobKey(job.exportId),
        ...job,
        expiresAt: Math.floor(Date.parse(job.createdAt) / 1000) + KEEP_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

export async function readJob(exportId: string): Promise<ExportJob | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: exportJobKey(exportId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { PK: _pk, SK: _sk, expiresAt: _e, segmentsDone, ...job } = Item;
  // DynamoDB keeps the finished segments as a number set; the job lists them.
  return { ...(job as ExportJob), segmentsDone: segmentsDone ? [...(segmentsDone as Set<number>)] : [] };
}

/**
 * Changes a job when its status is one of `from`; false when it was not (cancelled meanwhile, say), so a step
 * never brings a cancelled export back.
 */
async function update(
  exportId: string,
  from: ExportStatus[],
  set: string,
  values: Record<string, unknown>,
  names: Record<string, string> = {},
): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: exportJobKey(exportId),
        UpdateExpression: set,
        ConditionExpression: `attribute_exists(PK) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status', ...names },
        ExpressionAttributeValues: {
          ...values,
          ...Object.fromEntries(from.map((s, i) => [`:from${i}`, s])),
        },
      }),
    );
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}

/** Marks a job running from `transactionTime` over `totalSegments` segments. */
export const startJob = (exportId: string, totalSegments: number, transactionTime: string) =>
  update(exportId, ['accepted'], 'SET #status = :running, totalSegments = :n, transactionTime = :t', {
    ':running': 'in-progress',
    ':n': totalSegments,
    ':t': transactionTime,
  });

/** Records a finished segment (a set, so a retried step counts it once). */
export const finishSegment = (exportId: string, segment: number) =>
  update(exportId, ['in-progress'], 'ADD segmentsDone :s', { ':s': new Set([segment]) });

export const completeJob = (exportId: string, summary: ExportSummary) =>
  update(exportId, ['in-progress'], 'SET #status = :done, summary = :summary', {
    ':done': 'completed',
    ':summary': summary,
  });

export const failJob = (exportId: string, error: string) =>
  update(
    exportId,
    RUNNING,
    'SET #status = :failed, #error = :error',
    { ':failed': 'failed', ':error': error },
    {
      '#error': 'error',
    },
  );

/** Cancels a job, whatever state it is in short of cancelled (a finished one's files are deleted too). */
export const cancelJob = (exportId: string) =>
  update(exportId, [...RUNNING, 'completed', 'failed'], 'SET #status = :cancelled', {
    ':cancelled': 'cancelled',
  });
