import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsEndpoint } from '#local/sqs-endpoint';
import { startSqsLocal } from '#local/sqs-local';
import { LocalQueue } from '#local/sqs-queue';
import { queues } from '#shared/service/queues';

// The AWS SDK's own SQS client against the sandbox's endpoint: the protocol, MD5 checks and redrive it relies on.
const deadLetters = new LocalQueue('work-dlq', '', 'arn:aws:sqs:eu-west-2:000000000000:work-dlq', {
  visibilityTimeoutSeconds: 30,
});
const work = new LocalQueue('work', '', 'arn:aws:sqs:eu-west-2:000000000000:work', {
  visibilityTimeoutSeconds: 30,
  redrive: { deadLetterQueue: deadLetters, maxReceiveCount: 2 },
});
const server = createSqsEndpoint([work, deadLetters]);
const [deliveries] = queues;
let sqs: SQSClient;
let QueueUrl: string;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sqs = new SQSClient({
    endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  QueueUrl = `${endpoint}/000000000000/work`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('sandbox SQS endpoint (AWS JSON 1.0, SDK v3)', () => {
  it('sends, receives, reschedules and deletes a message', async () => {
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"n":1}' }));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
    );

    expect(Messages.map((m) => [m.MessageId, m.Body])).toEqual([[sent.MessageId, '{"n":1}']]);
    expect(Messages[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
    const handle = Messages[0]?.ReceiptHandle as string;
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }),
    );
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again.Messages?.[0]?.ReceiptHandle }));

    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(work.state().messages).toEqual([]);
  });

  it('sends batches, long-polls, and reports a stale receipt handle as the SDK error', async () => {
    const batch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'first' },
          { Id: 'b', MessageBody: 'second' },
        ],
      }),
    );
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    for (const m of received.Messages ?? []) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    }

    expect(batch.Successful?.map((s) => s.Id)).toEqual(['a', 'b']);
    expect(received.Messages?.map((m) => m.Body)).toEqual(['first', 'second']);
    await expect(
      sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'stale' })),
    ).rejects.toMatchObject({
      name: 'ReceiptHandleIsInvalid',
    });
  });

  it('redrives a message received maxReceiveCount times to the dead-letter queue', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }));
      expect(Messages).toHaveLength(1);
    }
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));

    expect(Messages).toEqual([]);
    expect(deadLetters.state().messages.map((m) => m.body)).toEqual(['poison']);
    expect(JSON.parse(attributes.Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: deadLetters.arn,
      maxReceiveCount: 2,
    });
  });
});

describe('sandbox SQS across a restart', () => {
  it('keeps the messages still queued, dead letters included', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'scr-sqs-')), 'sqs-messages.json');
    const first = await startSqsLocal({ stateFile });
    const url = first.environment[deliveries.urlVariable] as string;
    const client = new SQSClient({
      endpoint: first.endpoint,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"waiting":true}' }));
    await first.stop();

    const second = await startSqsLocal({ stateFile });
    const snapshot = second.snapshot() as Record<string, { visible: number }>;
    await second.stop();

    expect(snapshot[deliveries.name]?.visible).toBe(1);
  });
});
