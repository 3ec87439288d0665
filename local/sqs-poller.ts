import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { functions } from '#shared/service/functions';
import type { QueueDefinition } from '#shared/service/queues';
import { loadHandler } from './function-loader.ts';
import { lambdaContext } from './lambda-context.ts';
import type { LocalMessage, LocalQueue } from './sqs-queue.ts';

/**
 * Feeds a local queue to its consumer as Lambda's SQS event source mapping does: batches of up to `batchSize`
 * (after the batching window), at most `maxConcurrency` batches at once, and with `ReportBatchItemFailures`:
 * messages the function reports failed stay on the queue (hidden for whatever visibility it gave them), the
 * rest are deleted; a batch whose invocation throws stays whole until its visibility timeout ends.
 */
export class SqsEventSource {
  readonly counts = { invocations: 0, errors: 0, batchItemFailures: 0, deleted: 0 };
  private running = false;
  private loop?: Promise<void>;
  private readonly batches = new Set<Promise<void>>();

  constructor(
    private readonly queue: LocalQueue,
    private readonly definition: QueueDefinition,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.poll();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.allSettled([...this.batches]);
  }

  private async poll(): Promise<void> {
    while (this.running) {
      await this.queue.waitForMessages(200);
      if (!this.running) break;
      if (this.batches.size >= this.definition.maxConcurrency) {
        await Promise.race(this.batches);
        continue;
      }
      if (this.definition.maxBatchingWindowSeconds > 0) {
        await new Promise((r) => setTimeout(r, this.definition.maxBatchingWindowSeconds * 1000));
      }
      const messages = this.queue.receive(this.definition.batchSize);
      if (!messages.length) continue;
      const invocation = this.invoke(messages).finally(() => this.batches.delete(invocation));
      this.batches.add(invocation);
    }
  }

  private async invoke(messages: LocalMessage[]): Promise<void> {
    const { consumer } = this.definition;
    this.counts.invocations++;
    let response: SQSBatchResponse | undefined;
    const context = lambdaContext(consumer, functions[consumer].timeoutSeconds);
    try {
      const handler = await loadHandler(consumer);
      response = await handler({ Records: messages.map((m) => this.record(m)) } satisfies SQSEvent, context);
    } catch (e) {
      this.counts.errors++;
      // As Lambda logs a failed invocation, with its request id; by name only, as a message could name a patient.
      console.error(
        JSON.stringify({
          level: 'ERROR',
          message: `Sandbox SQS: ${consumer} failed`,
          function_request_id: context.awsRequestId,
          error: (e as Error).name,
        }),
      );
      return;
    }
    const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    this.counts.batchItemFailures += failed.size;
    for (const m of messages) {
      if (!failed.has(m.messageId) && m.receiptHandle && this.queue.delete(m.receiptHandle))
        this.counts.deleted++;
    }
  }

  private record(m: LocalMessage): SQSRecord {
    return {
      messageId: m.messageId,
      receiptHandle: m.receiptHandle as string,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentTimestamp),
        SenderId: '000000000000',
        ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp ?? m.sentTimestamp),
      },
      messageAttributes: {},
      md5OfBody: m.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: this.queue.arn,
      awsRegion: 'eu-west-2',
    };
  }
}
