import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionName } from '#shared/service/functions';
import type { QueueDefinition } from '#shared/service/queues';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export interface WorkQueuesProps {
  /** The queue table (`shared/service/queues.ts`). */
  queues: readonly QueueDefinition[];
  functions: Record<FunctionName, lambda.Function>;
  /** Encrypts each queue and its dead-letter queue. */
  encryptionKey: kms.IKey;
}

/**
 * One encrypted SQS queue per entry of the queue table, with its redrive to an encrypted dead-letter queue
 * after `maxReceiveCount` receives; its producers may send to it, and an event source mapping feeds its consumer
 * in batches, reporting partial batch failures so only failed messages come back (after the backoff the
 * consumer gives them). Producers and consumer find the queue's URL in the table's `urlVariable`.
 */
export class WorkQueues extends Construct {
  readonly queues: Record<string, sqs.Queue> = {};
  readonly deadLetterQueues: Record<string, DeadLetterQueue> = {};

  constructor(scope: Construct, id: string, props: WorkQueuesProps) {
    super(scope, id);
    for (const definition of props.queues) {
      const deadLetterQueue = new DeadLetterQueue(this, `${definition.name}DeadLetters`, {
        encryptionKey: props.encryptionKey,
      });
      const queue = new sqs.Queue(this, definition.name, {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: props.encryptionKey,
        // Reuses a data key for five minutes, instead of a KMS call per message.
        dataKeyReuse: Duration.minutes(5),
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        // Longer than all the retries take, so no message expires before reaching the dead-letter queue.
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetterQueue.queue, maxReceiveCount: definition.maxReceiveCount },
      });
      for (const producer of definition.producers) {
        queue.grantSendMessages(props.functions[producer]);
        props.functions[producer].addEnvironment(definition.urlVariable, queue.queueUrl);
      }
      const consumer = props.functions[definition.consumer];
      consumer.addEnvironment(definition.urlVariable, queue.queueUrl);
      consumer.addEventSource(
        new SqsEventSource(queue, {
          batchSize: definition.batchSize,
          ...(definition.maxBatchingWindowSeconds > 0
            ? { maxBatchingWindow: Duration.seconds(definition.maxBatchingWindowSeconds) }
            : {}),
          maxConcurrency: definition.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      this.queues[definition.name] = queue;
      this.deadLetterQueues[definition.name] = deadLetterQueue;
    }
  }
}
