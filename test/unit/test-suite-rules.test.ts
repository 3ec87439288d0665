import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The suite's own rules, checked over its source so they hold on any machine: speed is measured by
// `npm run bench`, never asserted by a test, and absence is proved with a sentinel, never by sleeping.
const TEST_ROOT = join(import.meta.dirname, '..');
// Starting and stopping the sandbox needs real timeouts; no test waits on them.
const ALLOWED = ['support/global-setup.ts', 'unit/test-suite-rules.test.ts'];

const files = (readdirSync(TEST_ROOT, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts') && !f.startsWith('artifacts'))
  .filter((f) => !ALLOWED.includes(f.split('\\').join('/')));

describe('the test suite', () => {
  it.each([
    ['a sleep (setTimeout)', /setTimeout\s*\(/],
    ['a wall-clock measurement (performance.now)', /performance\.now\s*\(/],
    ['a hand-rolled deadline (Date.now() +)', /Date\.now\(\)\s*\+\s*\d/],
  ])('has no %s: use expect.poll or a sentinel event, and the benchmark for speed', (_what, pattern) => {
    const offenders = files.filter((f) => pattern.test(readFileSync(join(TEST_ROOT, f), 'utf8')));
    expect(offenders.map((f) => relative('.', f))).toEqual([]);
  });

  // One of each, in test/support: a copy in a test file drifts from the others.
  it.each([
    ['refusal', /function refusal\b/],
    ["an example reader (HL7's examples)", /function (example|officialExample)\b/],
    ['a polling helper', /function (eventually|waitFor|until|pollUntil)\b/],
  ])('defines %s only in test/support', (_what, pattern) => {
    const offenders = files.filter(
      (f) => !f.startsWith('support') && pattern.test(readFileSync(join(TEST_ROOT, f), 'utf8')),
    );
    expect(offenders.map((f) => relative('.', f))).toEqual([]);
  });
});
