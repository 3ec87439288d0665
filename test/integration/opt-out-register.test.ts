import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { optedOutAmong } from '#shared/export/opt-out-store';
import { newNhsNumber, withWrongCheckDigit } from '../support/nhs-numbers.ts';
import { sandbox } from '../support/sandbox-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'scr-opt-out-'));
/** `npm run icb -- opt-out load <file>` against the test sandbox, as an ICB engineer runs it locally. */
function load(lines: string[]) {
  const file = join(dir, `${crypto.randomUUID()}.txt`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/icb.ts', 'opt-out', 'load', file, '--sandbox-dir', sandbox().dir],
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
