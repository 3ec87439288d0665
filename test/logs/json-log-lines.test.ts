import { describe, expect, it } from 'vitest';
import { SANDBOX_LOG } from '../support/global-setup.ts';
import { readLogLines, requestIdOf } from '../support/log-lines.ts';

describe('JSON logs (run after every other test)', () => {
  it('finds every line the sandbox logged during the whole run to be JSON with a request id', () => {
    const lines = readLogLines(SANDBOX_LOG);

    expect(lines.json.length).toBeGreaterThan(10);
    expect(lines.other).toEqual([]);
    expect(lines.json.filter((line) => !requestIdOf(line)).slice(0, 5)).toEqual([]);
    expect(lines.banner.some((line) => line.startsWith('Sandbox ready: '))).toBe(true);
  });
});
