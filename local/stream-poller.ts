import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { matchesEventPattern } from '#shared/events/event-pattern';
import { type StreamConsumerDefinition, streamConsumers } from '#shared/service/events';
import { functions } from '#shared/service/functions';
import { loadHandler } from './function-loader.ts';
import { lambdaContext } from './lambda-context.ts';

/** A batch that failed every attempt, kept as the on-failure queue would keep it. */
export interface FailedBatch {
  target: string;
  firstSequenceNumber: string;
  count: number;
  error: string;
}

/**
 * Feeds the record table's stream to the stream consumers as Lambda's event source mapping does: filter
 * patterns applied first, batches in order per shard, partial batch responses honoured, failing batches
 * retried and bisected, then set aside as on-failure records. Checkpoints survive a sandbox restart.
 */
export class StreamPoller {
  readonly failedBatches: FailedBatch[] = [];
  private readonly client: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, string>();
  private checkpoints: Record<string, string>;
  private running = false;
  private loop?: Promise<void>;

  constructor(
    endpoint: string,
    private readonly streamArn: string,
    private readonly checkpointFile: string,
    private readonly consumers: StreamConsumerDefinition[] = streamConsumers,
    private readonly intervalMs = 100,
  ) {
    this.client = new DynamoDBStreamsClient({ endpoint });
    this.checkpoints = existsSync(checkpointFile) ? JSON.parse(readFileSync(checkpointFile, 'utf8')) : {};
  }

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const busy = await this.pollOnce().catch(() => false);
        if (!busy) await new Promise((r) => setTimeout(r, this.intervalMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Reads each shard once and delivers what it found; true when there were records. */
  async pollOnce(): Promise<boolean> {
    const { StreamDescription } = await this.client.send(
      new DescribeStreamCommand({ StreamArn: this.streamArn }),
    );
    let busy = false;
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId as string;
      const iterator = this.iterators.get(shardId) ?? (await this.firstIterator(shardId));
      if (!iterator) continue;
      const { Records = [], NextShardIterator } = await this.client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
      );
      if (NextShardIterator) this.iterators.set(shardId, NextShardIterator);
      else this.iterators.delete(shardId);
      if (!Records.length) continue;
      busy = true;
      const records = Records.map((r) => lambdaRecord(r, this.streamArn));
      for (const consumer of this.consumers) await this.deliver(consumer, records);
      this.checkpoints[shardId] = Records[Records.length - 1]?.dynamodb?.SequenceNumber as string;
      writeFileSync(this.checkpointFile, JSON.stringify(this.checkpoints));
    }
    return busy;
  }

  private async firstIterator(shardId: string): Promise<string | undefined> {
    const after = this.checkpoints[shardId];
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  private async deliver(consumer: StreamConsumerDefinition, all: DynamoDBRecord[]): Promise<void> {
    const matching = all.filter((r) => matchesEventPattern(consumer.filterPattern, r));
    for (let i = 0; i < matching.length; i += consumer.batchSize) {
      await this.deliverBatch(consumer, matching.slice(i, i + consumer.batchSize), consumer.retryAttempts);
    }
  }

  private async deliverBatch(
    consumer: StreamConsumerDefinition,
    batch: DynamoDBRecord[],
    attemptsLeft: number,
  ) {
    const handler = await loadHandler(consumer.target);
    let pending = batch;
    let error = '';
    for (let attempt = 0; pending.length && attempt <= attemptsLeft; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
      try {
        const response: DynamoDBBatchResponse | undefined = await handler(
          { Records: pending },
          lambdaContext(consumer.target, functions[consumer.target].timeoutSeconds),
        );
        const failed = response?.batchItemFailures?.[0]?.itemIdentifier;
        const from = failed ? pending.findIndex((r) => r.dynamodb?.SequenceNumber === failed) : -1;
        pending = from >= 0 ? pending.slice(from) : [];
        if (pending.length) error = 'partial batch failure';
      } catch (e) {
        error = String(e);
        if (consumer.bisectBatchOnError && pending.length > 1) {
          const half = Math.ceil(pending.length / 2);
          await this.deliverBatch(consumer, pending.slice(0, half), Math.max(0, attemptsLeft - attempt - 1));
          await this.deliverBatch(consumer, pending.slice(half), Math.max(0, attemptsLeft - attempt - 1));
          return;
        }
      }
    }
    if (pending.length) {
      this.failedBatches.push({
        target: consumer.target,
        firstSequenceNumber: pending[0]?.dynamodb?.SequenceNumber as string,
        count: pending.length,
        error,
      });
    }
  }
}

/** A stream record as Lambda hands it to a function. */
function lambdaRecord(r: _Record, streamArn: string): DynamoDBRecord {
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-2',
    eventSourceARN: streamArn,
    dynamodb: {
      ...(r.dynamodb as DynamoDBRecord['dynamodb']),
      ApproximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime
        ? r.dynamodb.ApproximateCreationDateTime.getTime() / 1000
        : undefined,
    },
  };
}
