import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workedExamples } from '#shared/openapi/worked-examples';
import { clinicalTypes } from '#shared/service/resource-types';
import { subscriptionTopics } from '#shared/subscriptions/subscription-topics';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { sandbox } from '../support/sandbox-client.ts';
import { rememberPatientDetail } from '../support/test-patients.ts';

// A folder like the one `npm start` runs in: its `.sandbox` is the test sandbox's.
const work = mkdtempSync(join(tmpdir(), 'scr-worked-examples-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const hasJava = spawnSync('java', ['-version']).status === 0;
const nhs = newNhsNumber();
rememberPatientDetail(nhs);
const steps = workedExamples(nhs);

/**
 * Runs every step's commands exactly as the documentation shows them, in order, in one bash session (as a
 * supplier pastes them into one terminal), and splits what it printed by step. Only a marker line between
 * steps is added, to tell them apart.
 */
function runAll(): { output: Map<string, string>; status: number | null; stderr: string } {
  symlinkSync(sandbox().dir, join(work, '.sandbox'));
  const script = steps
    .filter((s) => s.needs !== 'java' || hasJava)
    .map((s) => `echo '::step ${s.id}'\n${s.shell}`)
    .join('\n');
  const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: work,
    encoding: 'utf8',
    timeout: 240_000,
  });
  const output = new Map<string, string>();
  for (const part of run.stdout.split(/^::step /m).slice(1)) {
    const [id = '', ...lines] = part.split('\n');
    output.set(id, lines.join('\n'));
  }
  return { output, status: run.status, stderr: run.stderr };
}

describe('the worked examples of the supplier documentation, run as written against the sandbox', () => {
  let result: ReturnType<typeof runAll>;

  it('run to the end without an error', () => {
    result = runAll();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 300_000);

  it.each(steps.map((s) => [s.id, s] as const))(
    '%s prints what the documentation says to expect',
    (id, step) => {
      if (step.needs === 'java' && !hasJava) return;
      const printed = result.output.get(id) ?? '';
      let from = 0;
      for (const line of step.expect) {
        const at = printed.indexOf(line, from);
        expect(at, `${id}: '${line}' in\n${printed}`).toBeGreaterThanOrEqual(0);
        from = at + line.length;
      }
    },
  );

  it('show the token recipe with curl and openssl on a PEM key, with Node.js, and with Java', () => {
    const shells = steps.map((s) => s.shell).join('\n');
    expect(shells).toContain('openssl dgst -sha512 -sign gp-key.pem');
    expect(shells).toContain("from 'node:crypto'");
    expect(shells).toContain('Signature.getInstance("SHA512withRSA")');
  });

  it('contribute every clinical type served, subscribe to every topic and filter, and use Tasks and both document paths', () => {
    const shells = steps.map((s) => s.shell).join('\n');
    for (const type of clinicalTypes.filter((t) => t !== 'Consent')) {
      expect(shells, type).toMatch(new RegExp(`"resourceType": "${type}"`));
    }
    const explained = steps.map((s) => s.explanation).join('\n');
    for (const topic of subscriptionTopics) expect(explained).toContain(topic.url);
    expect(shells).toContain('patient=Patient/');
    expect(shells).toContain('general-practitioner=');
    expect(shells).toContain('$FHIR/Task?patient=');
    expect(shells).toContain('attachment');
    expect(shells).toContain('$upload-url');
    expect(shells).toContain('NHSD-Purpose-Of-Use: ETREAT');
  });
});
