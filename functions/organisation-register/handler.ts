import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { logger } from '#shared/observability/powertools';
import { applyDeploymentRegistry } from '#shared/organisations/deployment-registry';

/**
 * A CloudFormation custom resource: on every deployment that changes the ICB's registry (uploaded as an S3
 * asset), its organisations become (or stay) the record's Organizations and its supplier systems the registry
 * the token endpoint and authorizer read; no function is redeployed for it. Answers CloudFormation at its response URL;
 * deleting the stack leaves the Organizations in the retained record.
 */
export const handler = middy<CloudFormationCustomResourceEvent, void>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    let failure: string | undefined;
    if (event.RequestType !== 'Delete') {
      try {
        const { Bucket, Key } = event.ResourceProperties.Registry as { Bucket: string; Key: string };
        const result = await applyDeploymentRegistry({ bucket: Bucket, key: Key });
        logger.info('Registry applied', result);
      } catch (e) {
        failure = `Could not apply the registry: ${(e as Error).name}: ${(e as Error).message}`;
        logger.error('Registry not applied', { error: (e as Error).name });
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
