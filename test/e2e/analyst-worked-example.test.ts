import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { openCareContext } from '../support/care-contexts.ts';
import { eventually } from '../support/eventually.ts';
import { officialExample } from '../support/fixtures.ts';
import { fhirFetch } from '../support/http.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { registerPatient } from '../support/registration.ts';
import { accessToken, sandbox } from '../support/sandbox-client.ts';

/**
 * docs/ANALYSTS.md end to end: admissions recorded by the hospital trust, a real system-level export as the
 * analyst (kick-off, poll, download through the manifest's links), then the page's DuckDB query, as printed, over
 * the downloaded files. The sandbox holds other tests' patients too, so only this test's lines are kept: found
 * by their pseudonyms, which the test works out from the sandbox's key as the export defines them.
 */
const page = readFileSync(new URL('../../docs/ANALYSTS.md', import.meta.url), 'utf8');
const query = /<!-- analyst-example-query[^>]*-->\s*```sql\n([\s\S]+?)```/.exec(page)?.[1] as string;
const hl7Encounter = officialExample<Record<string, unknown> & { class: Record<string, unknown> }>(
  'encounter-example.json',
);

const pseudonymOf = (nhs: string) => {
  const key = Buffer.from(readFileSync(join(sandbox().dir, 'pseudonym-key'), 'utf8').trim(), 'base64url');
  return createHmac('sha256', key).update(nhs).digest('hex');
};

async function admit(nhs: string, start: string, classCode: 'IMP' | 'AMB'): Promise<void> {
  const { id: _, text: __, ...example } = hl7Encounter;
  const created = await fhirFetch('acute', '/Encounter', {
    method: 'POST',
    body: {
      ...example,
      status: 'finished',
      class: {
        ...example.class,
        code: classCode,
        display: classCode === 'IMP' ? 'inpatient encounter' : 'ambulatory',
      },
      subject: { reference: `Patient/${nhs}` },
      period: { start, end: start },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}

const dir = mkdtempSync(join(tmpdir(), 'analyst-worked-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the analysts' worked example on a real export (docs/ANALYSTS.md)", () => {
  it('answers the readmissions question for exactly the patients admitted again within 30 days', async () => {
    const readmitted = newNhsNumber();
    const farApart = newNhsNumber();
    const outpatientAfter = newNhsNumber();
    for (const nhs of [readmitted, farApart, outpatientAfter]) {
      await registerPatient(nhs);
      // The trust's current outpatient attendance: the relationship under which it records past admissions.
      await openCareContext('acute', nhs);
    }
    await admit(readmitted, '2026-01-03T10:00:00Z', 'IMP');
    await admit(readmitted, '2026-01-23T08:30:00Z', 'IMP');
    await admit(farApart, '2026-02-01T12:00:00Z', 'IMP');
    await admit(farApart, '2026-03-18T12:00:00Z', 'IMP');
    await admit(outpatientAfter, '2026-04-01T09:00:00Z', 'IMP');
    await admit(outpatientAfter, '2026-04-06T09:00:00Z', 'AMB');
    const ours = new Set([readmitted, farApart, outpatientAfter].map((nhs) => `Patient/${pseudonymOf(nhs)}`));
    const token = await accessToken('analyst');

    const kickOff = await fetch(`${sandbox().clients.fhirBase}/$export?_type=Encounter`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json', Prefer: 'respond-async' },
    });
    expect(kickOff.status).toBe(202);
    const statusUrl = kickOff.headers.get('content-location') as string;
    const done = await eventually(
      async () => {
        const response = await fetch(statusUrl, { headers: { Authorization: `Bearer ${token}` } });
        return { status: response.status, body: await response.text() };
      },
      (r) => r.status !== 202,
    );
    expect(done.status, done.body).toBe(200);
    const manifest = JSON.parse(done.body) as { output: { type: string; url: string }[] };
    mkdirSync(join(dir, 'export'));
    let kept = 0;
    for (const [i, file] of manifest.output.entries()) {
      const response = await fetch(file.url);
      expect(response.status).toBe(200);
      const lines = (await response.text())
        .split('\n')
        .filter(
          (line) =>
            line &&
            ours.has((JSON.parse(line) as { subject?: { reference?: string } }).subject?.reference ?? ''),
        );
      kept += lines.length;
      writeFileSync(join(dir, 'export', `${file.type}-${i}.ndjson`), lines.map((l) => `${l}\n`).join(''));
    }
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    await connection.run(`SET file_search_path = '${dir}'`);

    const rows = (await connection.runAndReadAll(query)).getRowObjectsJson();

    // Six admissions and visits, and the three open attendances.
    expect(kept).toBe(9);
    // 3 January 10:00 to 23 January 08:30: 19 days 22.5 hours.
    expect(rows).toEqual([
      { pseudonym: pseudonymOf(readmitted), admissions_in_a_run: '2', shortest_gap_days: 19.9 },
    ]);
    connection.closeSync();
  }, 120_000);
});
