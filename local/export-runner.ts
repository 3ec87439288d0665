import type {
  ExportStep,
  FinishResult,
  PlanResult,
  ScanSegmentResult,
  ScanSegmentStep,
} from '#shared/export/export-steps';
import { functions } from '#shared/service/functions';
import { exportWorkflow } from '#shared/service/workflows';
import { loadHandler } from './function-loader.ts';
import { lambdaContext } from './lambda-context.ts';

/**
 * Runs the bulk export workflow in process, as the stack's state machine runs it (shared/service/workflows.ts):
 * plan; then the segments, at most `maxConcurrency` at once, each calling scan-segment until `done`; then
 * finish; any step that throws goes to fail. Each step is one invocation of the export-worker handler.
 */
export async function runExport(exportId: string): Promise<FinishResult | { status: 'failed' }> {
  const worker = await loadHandler(exportWorkflow.worker);
  const step = <T>(event: ExportStep): Promise<T> =>
    worker(
      event,
      lambdaContext(exportWorkflow.worker, functions[exportWorkflow.worker].timeoutSeconds),
    ) as Promise<T>;
  try {
    const { segments } = await step<PlanResult>({ step: 'plan', exportId });
    const queue = [...segments];
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        let call: ScanSegmentStep = { step: 'scan-segment', exportId, ...next };
        for (;;) {
          const result = await step<ScanSegmentResult>(call);
          if (result.done) break;
          call = { ...call, cursor: result.cursor };
        }
      }
    };
    await Promise.all(Array.from({ length: exportWorkflow.maxConcurrency }, lane));
    return await step<FinishResult>({ step: 'finish', exportId });
  } catch (error) {
    await step({ step: 'fail', exportId, error: { Error: (error as Error).name } });
    return { status: 'failed' };
  }
}
