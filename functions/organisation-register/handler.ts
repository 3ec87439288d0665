import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { logger } from '#shared/observability/powertools';
import { type OrganisationEntry, registerOrganisations } from '#shared/organisations/register-organisations';

/**
 * A CloudFormation custom resource: on every deployment, the ICB config's organisations become (or stay) the
 * record's Organizations, which supplier systems look up by ODS code. Answers CloudFormation at its response URL;
 * deleting the stack leaves the Organizations in the retained record.
 */
export const handler = middy<CloudFormationCustomResourceEvent, void>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    let failure: string | undefined;
    if (event.RequestType !== 'Delete') {
      try {
        const organisations = event.ResourceProperties.Organisations as OrganisationEntry[];
        const result = await registerOrganisations(organisations);
        logger.info('Organisations registered', { ...result, listed: organisations.length });
      } catch (e) {
        failure = `Could not register the organisations: ${(e as Error).name}: ${(e as Error).message}`;
        logger.error('Organisations not registered', { error: (e as Error).name });
      }
    }
    const response = await fetch(event.ResponseURL, {
      method: 'PUT',
      // The presigned URL was signed for no content type.
      headers: { 'Content-Type': '' },
      body: JSON.stringify({
        Status: failure ? 'FAILED' : 'SUCCESS',
        Reason: failure ?? 'OK',
        PhysicalResourceId: 'organisations',
        StackId: event.StackId,
        RequestId: event.RequestId,
        LogicalResourceId: event.LogicalResourceId,
      }),
    });
    if (!response.ok) logger.error('CloudFormation did not take the response', { status: response.status });
  });
