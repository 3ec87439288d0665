import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateAlarms } from '#local/ops-alarms';
import { SandboxMetrics } from '#local/sandbox-metrics';

const dir = mkdtempSync(join(tmpdir(), 'scr-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the sandbox ops figures', () => {
  it('survive a restart: what one process saved, the next carries on from', () => {
    const first = new SandboxMetrics();
    first.recordRequest({
      route: 'POST /oauth2/token',
      method: 'POST',
      status: 400,
      ms: 3,
      client: 'sandbox-gp',
    });
    first.recordRequest({
      route: 'GET /FHIR/R4/{type}/{id}',
      method: 'GET',
      status: 403,
      ms: 5,
      client: 'sandbox-gp-other',
      organisation: 'A81002',
    });
    first.count('BreakGlass');
    const file = join(dir, 'ops-metrics.json');
    first.save(file);

    const second = new SandboxMetrics();
    second.load(file);
    second.recordRequest({
      route: 'POST /oauth2/token',
      method: 'POST',
      status: 200,
      ms: 2,
      client: 'sandbox-gp',
    });
    const s = second.snapshot();

    expect(s.totals).toEqual({ requests: 3, status4xx: 2, status5xx: 0 });
    expect(s.errorsByStatus).toEqual({ '400': 1, '403': 1 });
    expect(s.clients.find((c) => c.name === 'sandbox-gp')?.byStatus).toEqual({ '400': 1, '200': 1 });
    expect(s.organisations).toEqual([{ name: 'A81002', requests: 1, byStatus: { '403': 1 } }]);
    expect(s.counters.BreakGlass).toBe(1);
    expect(s.startedAt).toBe(first.snapshot().startedAt);
  });

  it('start afresh from a damaged file rather than refusing to start', () => {
    const file = join(dir, 'damaged.json');
    writeFileSync(file, '{"routes": ');
    const metrics = new SandboxMetrics();
    metrics.load(file);
    expect(metrics.snapshot().totals.requests).toBe(0);
  });

  it('turn the break-glass alarm condition red above the hourly threshold, and the 5xx one above 1%', () => {
    const metrics = new SandboxMetrics();
    for (let i = 0; i < 6; i++) metrics.count('BreakGlass');
    for (let i = 0; i < 99; i++)
      metrics.recordRequest({ route: 'GET /x', method: 'GET', status: 200, ms: 1 });
    metrics.recordRequest({ route: 'GET /x', method: 'GET', status: 500, ms: 1 });
    const state = (id: string) => evaluateAlarms(metrics.snapshot()).find((a) => a.runbook.id === id)?.state;
    expect(state('break-glass')).toBe('alarm');
    // 1 in 100 is the threshold itself: the alarm is for more than 1%.
    expect(state('api-5xx')).toBe('ok');
    metrics.recordRequest({ route: 'GET /x', method: 'GET', status: 500, ms: 1 });
    expect(state('api-5xx')).toBe('alarm');
  });
});
