import jsonata from 'jsonata';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IcbConfig } from '#infra/config/types';
import type { SharedCareRecordStack } from '#infra/stack';
import { type FunctionName, functions } from '#shared/service/functions';
import { exportWorkflow } from '#shared/service/workflows';
import { type CfnResource, synthesizedIcb } from '../support/synthesized-icb.ts';

// The production example: it lists identified-export purposes and keeps export files 3 days, not the default 7.
let stack: SharedCareRecordStack;
let resources: Record<string, CfnResource>;
let config: IcbConfig;

beforeAll(() => {
  ({ stack, resources, config } = synthesizedIcb('example-prod-icb'));
});

type State = Record<string, unknown> & { Type: string; Next?: string; End?: boolean };
interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);
const functionId = (name: FunctionName) => logicalIdOf(stack.functions.byName[name].function);

/** The state machine's definition, with each CloudFormation reference written as `<LogicalId>`. */
function definition(): Definition {
  const machine = resources[logicalIdOf(stack.exportWorkflow.stateMachine)] as CfnResource;
  const [, parts] = (machine.Properties.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = part as { 'Fn::GetAtt'?: [string, string]; Ref?: string };
      return `<${ref['Fn::GetAtt']?.[0] ?? ref.Ref}>`;
    })
    .join('');
  return JSON.parse(text) as Definition;
}

const policyOf = (name: FunctionName) => {
  const role = logicalIdOf(stack.functions.byName[name].role);
  const policies = Object.values(resources).filter(
    (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(role),
  );
  return JSON.stringify(policies.map((p) => p.Properties.PolicyDocument));
};
const variablesOf = (name: FunctionName) =>
  (
    (resources[functionId(name)] as CfnResource).Properties.Environment as {
      Variables: Record<string, unknown>;
    }
  ).Variables;
const names = Object.keys(functions) as FunctionName[];

describe('the export workflow', () => {
  it('plans, maps the segments at the declared concurrency, then finishes', () => {
    const { StartAt, States } = definition();
    const plan = States[StartAt] as State;
    const map = States[plan.Next as string] as State;
    const finish = States[map.Next as string] as State;

    expect((plan.Arguments as { Payload: unknown }).Payload).toMatchObject({ step: 'plan' });
    expect(map).toMatchObject({
      Type: 'Map',
      MaxConcurrency: exportWorkflow.maxConcurrency,
      Items: '{% $states.input.segments %}',
    });
    expect((finish.Arguments as { Payload: unknown }).Payload).toMatchObject({ step: 'finish' });
    expect(finish.End).toBe(true);
  });

  it("invokes only the declared worker, with Lambda's transient errors retried with backoff", () => {
    const { States } = definition();
    const map = Object.values(States).find((s) => s.Type === 'Map') as State;
    const inner = (map.ItemProcessor as Definition).States;
    const tasks = [...Object.values(States), ...Object.values(inner)].filter((s) => s.Type === 'Task');

    expect(tasks).toHaveLength(4);
    for (const task of tasks) {
      expect((task.Arguments as { FunctionName: string }).FunctionName).toBe(
        `<${functionId(exportWorkflow.worker)}>`,
      );
      const errors = (task.Retry as { ErrorEquals: string[]; BackoffRate: number }[]).flatMap(
        (r) => r.ErrorEquals,
      );
      expect(errors).toEqual(
        expect.arrayContaining([
          'Lambda.ServiceException',
          'Lambda.AWSLambdaException',
          'Lambda.SdkClientException',
          'Lambda.TooManyRequestsException',
        ]),
      );
      expect(task.Retry).toEqual([expect.objectContaining({ BackoffRate: 2 })]);
      expect(task.TimeoutSeconds).toBeGreaterThan(functions[exportWorkflow.worker].timeoutSeconds);
    }
  });

  it('loops scan-segment through a Choice on done until the segment is read', () => {
    const { States } = definition();
    const map = Object.values(States).find((s) => s.Type === 'Map') as State;
    const { StartAt, States: inner } = map.ItemProcessor as Definition;
    const scan = inner[StartAt] as State;
    const choice = inner[scan.Next as string] as State;
    const [when] = choice.Choices as { Condition: string; Next: string }[];

    expect(scan.Type).toBe('Task');
    expect(choice.Type).toBe('Choice');
    expect(when?.Condition).toMatch(/\$states\.input\.done/);
    expect(inner[when?.Next as string]?.Type).toBe('Succeed');
    expect(choice.Default).toBe(StartAt);
  });

  it("gives scan-segment the Map's item first (no cursor at all), then each answer's cursor, never its done", async () => {
    const { States } = definition();
    const map = Object.values(States).find((s) => s.Type === 'Map') as State;
    const { StartAt, States: inner } = map.ItemProcessor as Definition;
    const scan = inner[StartAt] as State;
    const evaluate = async (template: unknown, states: Record<string, unknown>): Promise<unknown> => {
      if (typeof template === 'string') {
        const m = /^\{%(.*)%\}$/s.exec(template);
        return m ? jsonata(m[1] as string).evaluate({}, { states }) : template;
      }
      if (template && typeof template === 'object')
        return Object.fromEntries(
          await Promise.all(Object.entries(template).map(async ([k, v]) => [k, await evaluate(v, states)])),
        );
      return template;
    };
    const execution = { Execution: { Input: { exportId: 'export-1' } } };
    const item = await evaluate(map.ItemSelector, {
      input: { exportId: 'export-1', segments: [] },
      context: { ...execution, Map: { Item: { Value: { segment: 3, totalSegments: 16 } } } },
    });
    const payload = (input: unknown) =>
      evaluate((scan.Arguments as { Payload: unknown }).Payload, { input, context: execution });

    const first = await payload(item);
    const next = await payload({ ...(item as object), cursor: 'opaque', done: false });

    expect(first).toEqual({ step: 'scan-segment', exportId: 'export-1', segment: 3, totalSegments: 16 });
    expect(next).toEqual({
      step: 'scan-segment',
      exportId: 'export-1',
      segment: 3,
      totalSegments: 16,
      cursor: 'opaque',
    });
  });

  it('catches any failure of plan, the segments or finish into the fail step, then fails', async () => {
    const { States } = definition();
    const catching = Object.values(States).filter((s) => s.Catch);
    const targets = new Set(catching.flatMap((s) => (s.Catch as { Next: string }[]).map((c) => c.Next)));
    const [target] = [...targets];
    const fail = States[target as string] as State;
    const payload = (fail.Arguments as { Payload: Record<string, string> }).Payload;

    expect(catching.map((s) => s.Type).sort()).toEqual(['Map', 'Task', 'Task']);
    for (const s of catching)
      expect(s.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'] })]);
    expect(targets.size).toBe(1);
    expect(payload.step).toBe('fail');
    expect(
      await jsonata((payload.exportId as string).replace(/^\{%|%\}$/g, '')).evaluate(
        {},
        { states: { context: { Execution: { Input: { exportId: 'export-2' } } } } },
      ),
    ).toBe('export-2');
    expect(States[fail.Next as string]?.Type).toBe('Fail');
  });

  it('logs every event to its own encrypted log group without execution data, and traces with X-Ray', () => {
    const machine = resources[logicalIdOf(stack.exportWorkflow.stateMachine)] as CfnResource;
    const logGroup = resources[logicalIdOf(stack.exportWorkflow.logGroup)] as CfnResource;

    expect(machine.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
    expect(logGroup.Properties).toMatchObject({ RetentionInDays: config.logRetentionDays });
    expect(logGroup.Properties.KmsKeyId).toBeDefined();
  });

  it('alarms, once, on any execution failed, timed out or aborted', () => {
    const alarms = Object.values(resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .filter((r) => String(r.Properties.AlarmName).includes('ExportWorkflow'));
    const text = JSON.stringify(alarms);

    expect(alarms).toHaveLength(1);
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      expect(text).toContain(`"MetricName":"${metric}"`);
    }
    expect(text).toContain(logicalIdOf(stack.exportWorkflow.stateMachine));
    expect(alarms[0]?.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });
});

describe('export grants', () => {
  it('lets exactly the functions declared with exportWorkflow: start start executions, of that machine only', () => {
    const machine = logicalIdOf(stack.exportWorkflow.stateMachine);
    for (const name of names) {
      const grants: Record<string, unknown> = functions[name].grants;
      const starts = grants.exportWorkflow === 'start';

      expect(policyOf(name).includes('states:StartExecution'), name).toBe(starts);
      expect('EXPORT_STATE_MACHINE_ARN' in variablesOf(name), name).toBe(starts);
    }
    expect(policyOf('bulk-export')).toContain(
      JSON.stringify({ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: machine } }),
    );
    expect(policyOf('export-worker')).not.toContain('states:');
  });

  it('lets exactly the functions declared with pseudonymKey: read read the pseudonym key', () => {
    const secret = logicalIdOf(stack.pseudonymKey.secret);
    for (const name of names) {
      const grants: Record<string, unknown> = functions[name].grants;
      const reads = grants.pseudonymKey === 'read';

      expect(policyOf(name).includes(`{"Ref":"${secret}"}`), name).toBe(reads);
      expect('PSEUDONYM_KEY_ARN' in variablesOf(name), name).toBe(reads);
    }
    expect(policyOf('export-worker')).toContain('secretsmanager:GetSecretValue');
    expect(policyOf('bulk-export')).not.toContain(secret);
  });

  it('gives bulk-export the key of the bucket, so the presigned GETs of KMS-encrypted files work', () => {
    const dataKey = logicalIdOf(stack.keys.data);

    expect(policyOf('bulk-export')).toMatch(
      new RegExp(
        `"Action":\\[?[^\\]]*"kms:Decrypt"[^}]*"Resource":\\{"Fn::GetAtt":\\["${dataKey}","Arn"\\]\\}`,
      ),
    );
  });

  it("gives bulk-export the ICB's identified-export purposes and file retention, and no other function", () => {
    for (const name of names) {
      const variables = variablesOf(name);
      if (name === 'bulk-export') {
        expect(JSON.parse(variables.EXPORT_IDENTIFIED_PURPOSES as string)).toEqual(
          config.export.identifiedPurposes,
        );
        expect(config.export.identifiedPurposes.map((p) => p.code)).toEqual([
          'invoice-validation',
          'risk-stratification',
        ]);
        expect(variables.EXPORT_FILE_RETENTION_DAYS).toBe('3');
      } else {
        expect(variables, name).not.toHaveProperty('EXPORT_IDENTIFIED_PURPOSES');
      }
    }
  });
});

describe('the pseudonym key', () => {
  it('is generated by Secrets Manager, encrypted with the data key, never in the template, and kept', () => {
    const secret = resources[logicalIdOf(stack.pseudonymKey.secret)] as CfnResource;

    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(secret.Properties).not.toHaveProperty('SecretString');
    expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack.keys.data), 'Arn'] });
    expect(secret.DeletionPolicy).toBe('Retain');
  });
});

describe('export files', () => {
  it(`expire from the documents bucket's exports/ after the ICB's retention (3 days here, 7 by default)`, () => {
    const bucket = resources[logicalIdOf(stack.documentsBucket.bucket)] as CfnResource;
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    const exportRules = rules.filter((r) => r.Prefix === 'exports/');
    const defaultIcb = synthesizedIcb('example-icb');
    const defaultBucket = defaultIcb.stack.documentsBucket.bucket.node.defaultChild as Parameters<
      typeof stack.getLogicalId
    >[0];
    const defaultRules = (
      (defaultIcb.resources[defaultIcb.stack.getLogicalId(defaultBucket)] as CfnResource).Properties
        .LifecycleConfiguration as { Rules: Record<string, unknown>[] }
    ).Rules;

    expect(exportRules).toEqual([
      expect.objectContaining({
        Status: 'Enabled',
        ExpirationInDays: 3,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      }),
    ]);
    expect(defaultRules.find((r) => r.Prefix === 'exports/')).toMatchObject({ ExpirationInDays: 7 });
  });
});
