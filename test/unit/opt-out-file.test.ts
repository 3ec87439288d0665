import { describe, expect, it } from 'vitest';
import { OptOutFileError, optOutNhsNumbers } from '#shared/export/opt-out-file';
import { refusal } from '../support/refusal.ts';

// Valid NHS numbers worked by hand with Modulus 11 (test/support/nhs-numbers.ts does the same sum).
const VALID = ['9434765919', '9434765870', '9000000009'];

describe('the national data opt-out file', () => {
  it('reads one NHS number a line, with spaces inside, blank lines and CRLF, each once', () => {
    const text = `${VALID[0]}\r\n943 476 5870\n\n${VALID[2]}\n${VALID[0]}\n`;

    expect(optOutNhsNumbers(text)).toEqual(VALID);
  });

  it('refuses the whole file, naming each bad line by its number', () => {
    const text = `${VALID[0]}\n9434765918\nnot a number\n${VALID[1]}\n12345\n`;

    const error = refusal(OptOutFileError, () => optOutNhsNumbers(text));

    expect(error.problems.map((p) => p.line)).toEqual([2, 3, 5]);
    expect(error.problems[0]?.problem).toMatch(/Modulus 11/);
    expect(error.message).toMatch(/line 2: .*\n.*line 3: .*\n.*line 5: /);
  });

  it('reads an empty file as an empty register', () => {
    expect(optOutNhsNumbers('\n')).toEqual([]);
  });
});
