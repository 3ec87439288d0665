import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../aws/clients.ts';
import { currentKey, patientPartition } from '../service/table-design.ts';
import { optedOutAmong } from './opt-out-store.ts';

/** What an export needs to know of the patients on one Scan page. */
export interface PagePatients {
  optedOut: Set<string>;
  /** Each patient's registered practice, read only for a group export. */
  practices?: Map<string, string | undefined>;
}

/**
 * Reads, for the patients of one page, whether each is on the opt-out register and (for a group export, whose
 * group is a practice's registered list) their registered practice: BatchGetItems of a hundred keys, so a page
 * costs a few reads whatever the region's size.
 */
export async function pagePatients(nhsNumbers: string[], group: string | undefined): Promise<PagePatients> {
  const optedOut = await optedOutAmong(nhsNumbers);
  if (!group) return { optedOut };
  const practices = new Map<string, string | undefined>();
  for (let i = 0; i < nhsNumbers.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = nhsNumbers
      .slice(i, i + 100)
      .map((nhs) => ({ PK: patientPartition(nhs), SK: currentKey('Patient', nhs) }));
    while (keys?.length) {
      const answer: BatchGetCommandOutput = await documentClient.send(
        new BatchGetCommand({
          RequestItems: { [tableName()]: { Keys: keys, ProjectionExpression: 'PK, registeredPractice' } },
        }),
      );
      for (const item of answer.Responses?.[tableName()] ?? []) {
        practices.set((item.PK as string).slice('PATIENT#'.length), item.registeredPractice as string);
      }
      keys = answer.UnprocessedKeys?.[tableName()]?.Keys;
    }
  }
  return { optedOut, practices };
}
