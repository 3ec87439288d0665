import { describe, expect, it } from 'vitest';
import { sandboxRuns } from '../support/global-setup.ts';
import { readLogLines, requestIdOf } from '../support/log-lines.ts';

describe('JSON logs (run after every other test)', () => {
  it('finds the log of the sandbox project, at least', () => {
    expect(sandboxRuns().map((r) => r.project)).toContain('sandbox');
  });

  it.each(sandboxRuns())(
    'finds every line the $project sandbox logged during the run to be JSON with a request id',
    ({ logFile }) => {
      const lines = readLogLines(logFile);

      expect(lines.json.length).toBeGreaterThan(10);
      expect(lines.other).toEqual([]);
      expect(lines.json.filter((line) => !requestIdOf(line)).slice(0, 5)).toEqual([]);
      expect(lines.banner.some((line) => line.startsWith('Sandbox ready: '))).toBe(true);
    },
  );
});
