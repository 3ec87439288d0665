/** Starts an export's workflow for a job already written. */
export type ExportStarter = (exportId: string) => Promise<void>;

let local: ExportStarter | undefined;

/** The sandbox runs the workflow's steps in process (`local/export-runner.ts`) instead of Step Functions. */
export function useExportStarter(starter: ExportStarter | undefined): void {
  local = starter;
}

/**
 * Starts the export workflow: an execution of the state machine the stack names (`EXPORT_STATE_MACHINE_ARN`),
 * named by the export's id so a retried start cannot run it twice; or the sandbox's in-process runner.
 */
export async function startExport(exportId: string): Promise<void> {
  if (local) return local(exportId);
  const arn = process.env.EXPORT_STATE_MACHINE_ARN;
  if (!arn) throw new Error('EXPORT_STATE_MACHINE_ARN is not set');
  // Loaded on first use: status polls and cancels never pay its import.
  const { SFNClient, StartExecutionCommand } = await import('@aws-sdk/client-sfn');
  await new SFNClient({}).send(
    new StartExecutionCommand({ stateMachineArn: arn, name: exportId, input: JSON.stringify({ exportId }) }),
  );
}
