import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Encounter } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudonymised, pseudonymOf } from '#shared/export/pseudonymisation';
import { officialExample } from '../support/fixtures.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';

/**
 * The worked example of docs/ANALYSTS.md: its DuckDB query, exactly as the page prints it, over Encounter NDJSON
 * shaped as an export writes it (each resource through the export's own pseudonymisation, several part files
 * per type), answering for patients whose admissions were seeded to known gaps.
 */
const page = readFileSync(new URL('../../docs/ANALYSTS.md', import.meta.url), 'utf8');
const query = /<!-- analyst-example-query[^>]*-->\s*```sql\n([\s\S]+?)```/.exec(page)?.[1] as string;
// HL7's own R4 Encounter example (an inpatient encounter), given a patient, a status and a period per admission.
const hl7Encounter = officialExample<Encounter>('encounter-example.json');

const encounter = (nhs: string, start: string, classCode: 'IMP' | 'AMB'): Encounter => ({
  ...hl7Encounter,
  id: crypto.randomUUID(),
  status: 'finished',
  class: {
    ...hl7Encounter.class,
    code: classCode,
    display: classCode === 'IMP' ? 'inpatient encounter' : 'ambulatory',
  },
  subject: { reference: `Patient/${nhs}`, display: 'Alex Benchmark' },
  period: { start, end: start },
});

const key = new Uint8Array(32).fill(9);
const pseudonym = (nhs: string) => pseudonymOf(key, nhs);
const patients = {
  /** Two admissions 20 days apart: readmitted. */
  readmitted: newNhsNumber(),
  /** Two admissions 45 days apart: not within 30 days. */
  farApart: newNhsNumber(),
  /** An admission and an outpatient visit 5 days later: one admission only. */
  outpatientAfter: newNhsNumber(),
  /** Three admissions: 40 days, then 10 days apart (a date only, as FHIR allows). */
  thirdTime: newNhsNumber(),
};
const encounters = [
  encounter(patients.readmitted, '2026-01-03T10:00:00Z', 'IMP'),
  encounter(patients.readmitted, '2026-01-23T08:30:00Z', 'IMP'),
  encounter(patients.farApart, '2026-02-01T12:00:00Z', 'IMP'),
  encounter(patients.farApart, '2026-03-18T12:00:00Z', 'IMP'),
  encounter(patients.outpatientAfter, '2026-04-01T09:00:00Z', 'IMP'),
  encounter(patients.outpatientAfter, '2026-04-06T09:00:00Z', 'AMB'),
  encounter(patients.thirdTime, '2026-01-01T09:00:00Z', 'IMP'),
  encounter(patients.thirdTime, '2026-02-10T09:00:00Z', 'IMP'),
  encounter(patients.thirdTime, '2026-02-20', 'IMP'),
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'analyst-example-'));
  mkdirSync(join(dir, 'export'));
  const lines = encounters.map((e) => JSON.stringify(pseudonymised(e, pseudonym)));
  // Two part files, a patient's admissions split across them, as parallel segments write them.
  writeFileSync(
    join(dir, 'export', 'Encounter-0.ndjson'),
    `${lines.filter((_, i) => i % 2 === 0).join('\n')}\n`,
  );
  writeFileSync(
    join(dir, 'export', 'Encounter-1.ndjson'),
    `${lines.filter((_, i) => i % 2 === 1).join('\n')}\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the analysts' worked example (docs/ANALYSTS.md)", () => {
  it('prints one SQL query, reading the export folder the page downloads into', () => {
    expect(query).toContain("read_json('export/Encounter*.ndjson'");
  });

  it('finds the patients admitted again within 30 days, by pseudonym, and no one else', async () => {
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    // The page's relative path, resolved against the folder the files were written to.
    await connection.run(`SET file_search_path = '${dir}'`);

    const rows = (await connection.runAndReadAll(query)).getRowObjectsJson();

    expect(rows).toEqual(
      [
        // 3 January 10:00 to 23 January 08:30: 19 days 22.5 hours.
        { pseudonym: pseudonym(patients.readmitted), admissions_in_a_run: '2', shortest_gap_days: 19.9 },
        // 10 February 09:00 to 20 February (midnight): 9 days 15 hours; the 40 days before it do not count.
        { pseudonym: pseudonym(patients.thirdTime), admissions_in_a_run: '2', shortest_gap_days: 9.6 },
      ].sort((a, b) => a.pseudonym.localeCompare(b.pseudonym)),
    );
    connection.closeSync();
  });

  it('reads files that carry pseudonyms, never the NHS numbers or the names of the patients', () => {
    const files = ['Encounter-0.ndjson', 'Encounter-1.ndjson'].map((f) =>
      readFileSync(join(dir, 'export', f), 'utf8'),
    );

    for (const nhs of Object.values(patients)) {
      for (const text of files) expect(text).not.toContain(nhs);
    }
    for (const text of files) expect(text).not.toContain('Benchmark');
    expect(files.join('')).toContain(`Patient/${pseudonym(patients.readmitted)}`);
  });
});
