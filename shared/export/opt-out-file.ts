import { nhsNumberProblem } from '../fhir/nhs-number.ts';

/** A line of an opt-out file that is not an NHS number, by its line number (from 1). */
export interface OptOutFileProblem {
  line: number;
  problem: string;
}

/** An opt-out file with bad lines: the register is left as it was, and the lines are named. */
export class OptOutFileError extends Error {
  constructor(readonly problems: OptOutFileProblem[]) {
    super(
      `The opt-out file was not loaded: ${problems.length} line(s) are not valid NHS numbers\n` +
        problems.map((p) => `  line ${p.line}: ${p.problem}`).join('\n'),
    );
    this.name = 'OptOutFileError';
  }
}

/**
 * The NHS numbers of a national data opt-out file: one a line, spaces inside a number allowed (`943 476 5919`),
 * blank lines skipped, each checked with Modulus 11. A file with any bad line is refused whole, naming every bad
 * line, so a truncated or garbled file never half-replaces the register. Duplicates are kept once.
 *
 * @example optOutNhsNumbers('9434765919\n943 476 5870\n') // ['9434765919', '9434765870']
 */
export function optOutNhsNumbers(text: string): string[] {
  const numbers = new Set<string>();
  const problems: OptOutFileProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const value = raw.replace(/\s+/g, '');
    if (!value) return;
    const problem = nhsNumberProblem(value);
    if (problem) problems.push({ line: i + 1, problem });
    else numbers.add(value);
  });
  if (problems.length) throw new OptOutFileError(problems);
  return [...numbers];
}
