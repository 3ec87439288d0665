import { appendFileSync } from 'node:fs';
import { inject } from 'vitest';

/**
 * Notes an identifying value a test gives a patient (NHS number, name, birth date), so the log audit can
 * check that none of them ever reached its sandbox's log. Outside a sandbox project there is no log to audit.
 */
export function rememberPatientDetail(...values: string[]): void {
  const sandbox = inject('sandbox');
  if (!sandbox) return;
  appendFileSync(sandbox.patientsFile, values.map((v) => `${v}\n`).join(''));
}
