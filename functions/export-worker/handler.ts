import type { ExportStep, ExportStepResults } from '#shared/export/export-steps';

/** The bulk export workflow's steps (shared/service/workflows.ts), one handler dispatching on `event.step`. */
export const handler = async (event: ExportStep): Promise<ExportStepResults[ExportStep['step']]> => {
  throw new Error(`The export step '${event.step}' is not built yet`);
};
