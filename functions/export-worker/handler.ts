import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ExportStep, ExportStepResults } from '#shared/export/export-steps';
import { fail, finish, plan, scanSegment } from '#shared/export/export-workflow';
import { logger } from '#shared/observability/powertools';

type Result = ExportStepResults[ExportStep['step']];

/**
 * The bulk export workflow's steps (shared/service/workflows.ts), one handler dispatching on `event.step`: the
 * state machine (or the sandbox's runner) calls it once per step.
 */
export const handler = middy<ExportStep, Result>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
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
  });
