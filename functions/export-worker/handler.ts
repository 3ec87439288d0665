import type { ExportStep, ExportStepResults } from '#shared/export/export-steps';
import { fail, finish, plan, scanSegment } from '#shared/export/export-workflow';
import { logger } from '#shared/observability/powertools';

/**
 * The bulk export workflow's steps (shared/service/workflows.ts), one handler dispatching on `event.step`: the
 * state machine (or the sandbox's runner) calls it once per step.
 */
export const handler = async (event: ExportStep): Promise<ExportStepResults[ExportStep['step']]> => {
  logger.info('Bulk export step', { exportId: event.exportId, step: event.step });
  switch (event.step) {
    case 'plan':
      return plan(event);
    case 'scan-segment':
      return scanSegment(event);
    case 'finish':
      return finish(event);
    case 'fail':
      return fail(event);
  }
};
