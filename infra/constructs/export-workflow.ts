import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { ExportStep, ScanSegmentStep } from '#shared/export/export-steps';
import type { exportWorkflow } from '#shared/service/workflows';

export interface ExportWorkflowProps {
  /** The declaration (`shared/service/workflows.ts`): its name, segments and Map concurrency. */
  workflow: typeof exportWorkflow;
  /** The function that runs every step (`exportWorkflow.worker`), dispatching on `step`. */
  worker: lambda.IFunction;
  /** The worker's own timeout: a step's task gives up a little after it. */
  workerTimeout: Duration;
  logRetentionDays: number;
  logsKey: kms.IKey;
  /** The stack's functions are traced with X-Ray; the workflow is too, so a trace runs from kick-off to file. */
  tracing: boolean;
}

/** Errors worth a retry with backoff: Lambda's own service errors and throttling (AWS's advice for Lambda tasks). */
const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
];

/** What a scan-segment call is given, besides its step: every field of the step's event but `step`. */
const SCAN_FIELDS = ['exportId', 'segment', 'totalSegments', 'cursor'] satisfies (keyof ScanSegmentStep)[];

/** The execution's own input names the export (`{ "exportId": "…" }`, as bulk-export starts it). */
const EXPORT_ID = '{% $states.context.Execution.Input.exportId %}';

/**
 * The bulk export workflow as a Step Functions state machine, built from its declaration: Task(plan) → Map over
 * the plan's segments (at most `maxConcurrency` at once) { Task(scan-segment) → Choice: `done` → Succeed, else
 * the same Task again with the returned cursor } → Task(finish). A Catch on plan, the Map and finish → Task(fail)
 * → Fail, so a job never stays "in progress" after its workflow died. JSONata rather than JSONPath: a
 * scan-segment's first call has no cursor, and JSONata passes the state on as it is, absent fields and all.
 * Execution data is never logged: cursors are table keys, and those name patients.
 */
export class ExportWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ExportWorkflowProps) {
    super(scope, id);
    const { workflow, worker } = props;
    // A step that hangs is given up on shortly after Lambda itself would have stopped it.
    const taskTimeout = sfn.Timeout.duration(props.workerTimeout.plus(Duration.seconds(30)));
    const step = (name: string, payload: sfn.TaskInput) => {
      const task = tasks.LambdaInvoke.jsonata(this, name, {
        lambdaFunction: worker,
        payload,
        // The worker's answer is the next state's input, not Lambda's envelope around it.
        outputs: '{% $states.result.Payload %}',
        retryOnServiceExceptions: false,
        taskTimeout,
      });
      task.addRetry({
        errors: LAMBDA_TRANSIENT_ERRORS,
        interval: Duration.seconds(2),
        maxAttempts: 6,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });
      return task;
    };
    const event = (fields: Record<string, unknown> & { step: ExportStep['step'] }) =>
      sfn.TaskInput.fromObject(fields);

    const failed = step(
      'Fail the job',
      // The Catch passes on what it caught: `{ Error, Cause }`.
      event({ step: 'fail', exportId: EXPORT_ID, error: '{% $states.input %}' }),
    ).next(new sfn.Fail(this, 'Export failed', { error: 'ExportFailed', cause: 'See the export job' }));
    const catchInto = <T extends sfn.TaskStateBase | sfn.Map>(state: T): T => {
      state.addCatch(failed, { errors: [sfn.Errors.ALL], outputs: '{% $states.errorOutput %}' });
      return state;
    };

    const plan = catchInto(step('Plan', event({ step: 'plan', exportId: EXPORT_ID })));

    // The Map's item, or the last call's answer, which carries the cursor to go on from: the first call has
    // none, so the event is the input's own fields (no `cursor` key at all when there is none) plus the step.
    const scanSegment: ScanSegmentStep['step'] = 'scan-segment';
    const scan = step(
      'Scan segment',
      sfn.TaskInput.fromText(
        `{% $merge([$sift($states.input, function($v, $k) { $k in ${JSON.stringify(SCAN_FIELDS)} }), { "step": "${scanSegment}" }]) %}`,
      ),
    );
    const segment = scan.next(
      sfn.Choice.jsonata(this, 'Segment done?')
        .when(sfn.Condition.jsonata('{% $states.input.done = true %}'), new sfn.Succeed(this, 'Segment read'))
        .otherwise(scan),
    );
    const segments = catchInto(
      sfn.Map.jsonata(this, 'Segments', {
        items: sfn.ProvideItems.jsonata('{% $states.input.segments %}'),
        itemSelector: {
          exportId: '{% $states.context.Execution.Input.exportId %}',
          segment: '{% $states.context.Map.Item.Value.segment %}',
          totalSegments: '{% $states.context.Map.Item.Value.totalSegments %}',
        },
        maxConcurrency: workflow.maxConcurrency,
        // What finish needs is the job, not 16 segments' last answers.
        outputs: { exportId: EXPORT_ID },
      }),
    );
    segments.itemProcessor(segment);

    const finish = catchInto(step('Finish', event({ step: 'finish', exportId: EXPORT_ID })));

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // Step Functions' vended logs need a group under /aws/vendedlogs/ for their resource policy to stay small.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-${workflow.name}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: `${workflow.name}: FHIR Bulk Data export in ${workflow.segments} parallel Scan segments`,
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(segments).next(finish)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      // A region of a million patients is hours of segments at the worst; a day means something is stuck.
      timeout: Duration.hours(24),
      tracingEnabled: props.tracing,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
  }
}
