import { existsSync, readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { icbConfig } from '#infra/config/icbs';
import { buildApp } from '#infra/stack';
import { RUNBOOK_FOLDER, runbooks } from '#shared/observability/alarm-conditions';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;
const { stack } = buildApp(
  { context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } },
  icbConfig('example-prod-icb'),
);
const resources = Template.fromStack(stack).toJSON().Resources as Record<
  string,
  { Type: string; Properties: Record<string, unknown> }
>;
const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');

describe('runbooks', () => {
  it('has a page for every kind of alarm, saying what it means, how to confirm and what to do', () => {
    for (const { id } of Object.values(runbooks)) {
      const file = `${RUNBOOK_FOLDER}/${id}.md`;
      expect(existsSync(file), file).toBe(true);
      const text = readFileSync(file, 'utf8');
      for (const heading of ['**What it means.**', '**How to confirm.**', '**What to do.**']) {
        expect(text, `${file}: ${heading}`).toContain(heading);
      }
    }
  });

  it("links every alarm's description to an existing runbook", () => {
    expect(alarms.length).toBeGreaterThan(10);
    for (const alarm of alarms) {
      const description = String(alarm.Properties.AlarmDescription ?? '');
      const page = /Runbook: (docs\/runbooks\/[a-z0-9-]+\.md)/.exec(description)?.[1];
      expect(page, `${alarm.Properties.AlarmName}: ${description}`).toBeDefined();
      expect(existsSync(page as string), page).toBe(true);
    }
  });
});
