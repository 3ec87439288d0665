import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type { StreamConsumerDefinition } from '#shared/service/events';
import type { FunctionName } from '#shared/service/functions';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export interface StreamConsumersProps {
  /** The stream-consumer table (`shared/service/events.ts`). */
  consumers: readonly StreamConsumerDefinition[];
  table: dynamodb.ITable;
  functions: Record<FunctionName, lambda.IFunction>;
  /** Encrypts each consumer's on-failure queue. */
  encryptionKey: kms.IKey;
}

/**
 * One event source mapping per entry of the stream-consumer table, feeding the function the record table's
 * stream through the entry's filter, with an encrypted on-failure queue for batches that never succeed.
 */
export class StreamConsumers extends Construct {
  /** Each consumer's on-failure queue, keyed by its target function. */
  readonly onFailureQueues: Partial<Record<FunctionName, DeadLetterQueue>> = {};

  constructor(scope: Construct, id: string, props: StreamConsumersProps) {
    super(scope, id);
    for (const consumer of props.consumers) {
      const onFailure = new DeadLetterQueue(this, `${consumer.target}OnFailure`, {
        encryptionKey: props.encryptionKey,
      });
      props.functions[consumer.target].addEventSource(
        new DynamoEventSource(props.table, {
          // From the oldest record kept: a new or re-created mapping must not skip unpublished outbox entries.
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: consumer.batchSize,
          retryAttempts: consumer.retryAttempts,
          bisectBatchOnError: consumer.bisectBatchOnError,
          // Consumers answer with the first record they could not handle, so retries resume from there.
          reportBatchItemFailures: true,
          filters: [lambda.FilterCriteria.filter(consumer.filterPattern)],
          onFailure: new SqsDlq(onFailure.queue),
        }),
      );
      this.onFailureQueues[consumer.target] = onFailure;
    }
  }
}
