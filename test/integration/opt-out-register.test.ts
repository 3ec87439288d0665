import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureRecordTable } from '#local/record-table';
import { optedOutAmong } from '#shared/export/opt-out-store';
import { newNhsNumber, withWrongCheckDigit } from '../support/nhs-numbers.ts';
import { sandbox } from '../support/sandbox-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'scr-opt-out-'));
/** `npm run icb -- opt-out load <file>` against the test sandbox, as an ICB engineer runs it locally. */
function load(lines: string[], ...options: string[]) {
  const file = join(dir, `${crypto.randomUUID()}.txt`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const target = options.length ? options : ['--sandbox-dir', sandbox().dir];
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/icb.ts', 'opt-out', 'load', file, ...target],
    { encoding: 'utf8' },
  );
}

describe('loading the national data opt-out file (npm run icb -- opt-out load)', () => {
  it('adds every NHS number of the file to the register', async () => {
    const numbers = [newNhsNumber(), newNhsNumber(), newNhsNumber()];

    const run = load(numbers);

    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Added the 3 NHS numbers/);
    expect(await optedOutAmong(numbers)).toEqual(new Set(numbers));
  });

  it('refuses a file with a bad line, naming it, and adds none of it', async () => {
    const good = newNhsNumber();

    const run = load([good, withWrongCheckDigit(newNhsNumber())]);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/line 2: .*Modulus 11/);
    expect(await optedOutAmong([good])).toEqual(new Set());
  });
});

describe('replacing the register (--replace), on a table of its own', () => {
  // Replacing empties the register of everyone else's numbers: never on the table other tests share.
  const table = `opt-out-replace-${crypto.randomUUID()}`;
  const dynamodb = new DynamoDBClient({ endpoint: sandbox().dynamodbEndpoint });
  afterAll(() => dynamodb.send(new DeleteTableCommand({ TableName: table })));

  it('makes the register exactly the new file: numbers no longer listed are removed', async () => {
    await ensureRecordTable(dynamodb, table);
    const [kept, dropped, added] = [newNhsNumber(), newNhsNumber(), newNhsNumber()];
    expect(load([kept, dropped], '--table', table).status).toBe(0);

    const run = load([kept, added], '--table', table, '--replace');

    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/1 no longer listed were removed/);
    const { Items = [] } = await DynamoDBDocumentClient.from(dynamodb).send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': 'OPT_OUT' },
      }),
    );
    expect(Items.map((i) => i.SK).sort()).toEqual([kept, added].sort());
  });
});
