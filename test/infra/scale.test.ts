import { readFileSync } from 'node:fs';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { icbConfig } from '#infra/config/icbs';
import type { IcbConfig } from '#infra/config/types';
import { validateIcbConfig } from '#infra/config/validate';
import { buildApp, nagPacks, type SharedCareRecordStack } from '#infra/stack';
import { generatedIcb } from '../support/generated-icb.ts';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

/** CloudFormation's limits on one stack (its quotas page): resources, template body (from S3), outputs. */
const MAX_RESOURCES = 500;
const MAX_TEMPLATE_BYTES = 1_000_000;
const MAX_OUTPUTS = 200;

function synthesize(config: IcbConfig) {
  const { app, stack } = buildApp({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } }, config);
  const template = Template.fromStack(stack).toJSON() as { Resources: object; Outputs?: object };
  return {
    app,
    stack,
    resources: Object.keys(template.Resources).length,
    bytes: JSON.stringify(template).length,
    outputs: Object.keys(template.Outputs ?? {}).length,
  };
}

describe.each([
  ['a generated ICB of 1,000 organisations and 60 supplier systems', () => validateIcbConfig(generatedIcb())],
  ['example-icb', () => icbConfig('example-icb')],
])('the stack of %s', (name, config) => {
  let figures: ReturnType<typeof synthesize>;
  let app: App;
  let stack: SharedCareRecordStack;
  beforeAll(() => {
    figures = synthesize(config());
    ({ app, stack } = figures);
    console.info(
      `${name}: ${figures.resources} resources, ${figures.bytes} bytes of template, ${figures.outputs} outputs`,
    );
  }, 120_000);

  it("stays inside CloudFormation's limits on resources, template size and outputs", () => {
    expect(figures.resources).toBeLessThan(MAX_RESOURCES);
    expect(figures.bytes).toBeLessThan(MAX_TEMPLATE_BYTES);
    expect(figures.outputs).toBeLessThan(MAX_OUTPUTS);
  });

  it('holds no organisation or supplier system as a resource of its own, beyond one usage plan per system', () => {
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('Custom::Organisations'))).toHaveLength(1);
    const systems = config().supplierClients.length;
    expect(Object.keys(template.findResources('AWS::ApiGateway::UsagePlan'))).toHaveLength(systems);
    expect(Object.keys(template.findResources('AWS::ApiGateway::ApiKey'))).toHaveLength(systems);
  });

  it('is cdk-nag clean', () => {
    const findings = nagPacks().flatMap((pack) =>
      pack.validateScope(app).violations.map((v) => `${v.ruleName}: ${v.violatingResources.length}`),
    );
    expect(findings).toEqual([]);
  });
});
