import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const REGISTER = resolve(import.meta.dirname, '../artifacts/test-patients.txt');

/**
 * Notes an identifying value a test gives a patient (NHS number, name, birth date), so the log audit can
 * check that none of them ever reached a log line.
 */
export function rememberPatientDetail(...values: string[]): void {
  mkdirSync(dirname(REGISTER), { recursive: true });
  appendFileSync(REGISTER, values.map((v) => `${v}\n`).join(''));
}

/** Every identifying value the tests gave patients in this run. */
export function rememberedPatientDetails(): string[] {
  return existsSync(REGISTER) ? [...new Set(readFileSync(REGISTER, 'utf8').split('\n').filter(Boolean))] : [];
}
