import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LocalMessage, LocalQueue } from './sqs-queue.ts';

type Request = Record<string, unknown>;

/** An SQS error as the AWS JSON protocol carries it. */
class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const MAX_WAIT_SECONDS = 20;
const QUERY_ERROR_CODES: Record<string, string> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
};

/**
 * An SQS endpoint for the SDK (`AWS_ENDPOINT_URL_SQS`), speaking the AWS JSON 1.0 protocol SDK v3 uses, for the
 * actions the service and its tests need: SendMessage(Batch), ReceiveMessage (with long polling),
 * DeleteMessage(Batch), ChangeMessageVisibility(Batch), GetQueueUrl and GetQueueAttributes. Bodies carry their
 * MD5, which the SDK checks.
 */
export function createSqsEndpoint(queues: LocalQueue[]): Server {
  const byName = new Map(queues.map((q) => [q.name, q]));
  const queueOf = (input: Request): LocalQueue => {
    const url = String(input.QueueUrl ?? '');
    const queue = byName.get(url.split('/').pop() ?? '');
    if (!queue) throw new SqsError('QueueDoesNotExist', `The queue ${url} does not exist`);
    return queue;
  };
  const batch = (input: Request, act: (queue: LocalQueue, entry: Request) => boolean) => {
    const queue = queueOf(input);
    const entries = (input.Entries ?? []) as (Request & { Id: string })[];
    const done = entries.map((e) => ({ Id: e.Id, ok: act(queue, e) }));
    return {
      Successful: done.filter((d) => d.ok).map(({ Id }) => ({ Id })),
      Failed: done
        .filter((d) => !d.ok)
        .map(({ Id }) => ({
          Id,
          SenderFault: true,
          Code: 'ReceiptHandleIsInvalid',
          Message: 'Not the latest',
        })),
    };
  };

  const actions: Record<string, (input: Request) => Promise<object> | object> = {
    SendMessage: (input) => {
      const m = queueOf(input).send(String(input.MessageBody ?? ''), Number(input.DelaySeconds ?? 0));
      return { MessageId: m.messageId, MD5OfMessageBody: m.md5OfBody };
    },
    SendMessageBatch: (input) => {
      const queue = queueOf(input);
      const entries = (input.Entries ?? []) as { Id: string; MessageBody: string; DelaySeconds?: number }[];
      return {
        Successful: entries.map((e) => {
          const m = queue.send(e.MessageBody, Number(e.DelaySeconds ?? 0));
          return { Id: e.Id, MessageId: m.messageId, MD5OfMessageBody: m.md5OfBody };
        }),
        Failed: [],
      };
    },
    ReceiveMessage: async (input) => {
      const queue = queueOf(input);
      const max = Math.min(10, Number(input.MaxNumberOfMessages ?? 1));
      const visibility = input.VisibilityTimeout === undefined ? undefined : Number(input.VisibilityTimeout);
      const deadline = Date.now() + Math.min(MAX_WAIT_SECONDS, Number(input.WaitTimeSeconds ?? 0)) * 1000;
      let messages = queue.receive(max, visibility);
      while (!messages.length && Date.now() < deadline) {
        await queue.waitForMessages(deadline - Date.now());
        messages = queue.receive(max, visibility);
      }
      return { Messages: messages.map(sqsMessage) };
    },
    DeleteMessage: (input) => {
      if (!queueOf(input).delete(String(input.ReceiptHandle))) invalidHandle();
      return {};
    },
    DeleteMessageBatch: (input) => batch(input, (queue, e) => queue.delete(String(e.ReceiptHandle))),
    ChangeMessageVisibility: (input) => {
      if (!queueOf(input).changeVisibility(String(input.ReceiptHandle), Number(input.VisibilityTimeout))) {
        invalidHandle();
      }
      return {};
    },
    ChangeMessageVisibilityBatch: (input) =>
      batch(input, (queue, e) =>
        queue.changeVisibility(String(e.ReceiptHandle), Number(e.VisibilityTimeout)),
      ),
    GetQueueUrl: (input) => {
      const queue = byName.get(String(input.QueueName));
      if (!queue) throw new SqsError('QueueDoesNotExist', `The queue ${input.QueueName} does not exist`);
      return { QueueUrl: queue.url };
    },
    GetQueueAttributes: (input) => {
      const queue = queueOf(input);
      const state = queue.state();
      return {
        Attributes: {
          QueueArn: queue.arn,
          ApproximateNumberOfMessages: String(state.visible),
          ApproximateNumberOfMessagesNotVisible: String(state.inFlight),
          ApproximateNumberOfMessagesDelayed: String(state.delayed),
          VisibilityTimeout: String(queue.options.visibilityTimeoutSeconds),
          ...(queue.options.redrive
            ? {
                RedrivePolicy: JSON.stringify({
                  deadLetterTargetArn: queue.options.redrive.deadLetterQueue.arn,
                  maxReceiveCount: queue.options.redrive.maxReceiveCount,
                }),
              }
            : {}),
        },
      };
    },
  };

  return createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(body));
    };
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const target = String(req.headers['x-amz-target'] ?? '');
      const action = actions[target.replace(/^AmazonSQS\./, '')];
      if (!target.startsWith('AmazonSQS.') || !action) {
        throw new SqsError('UnsupportedOperation', `The sandbox's SQS does not do ${target}`);
      }
      reply(200, await action(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Request));
    } catch (e) {
      const error = e instanceof SqsError ? e : new SqsError('InternalError', String(e), 500);
      // The SDK names errors by this header (the older query protocol's codes), as SQS sends it.
      res.setHeader('x-amzn-query-error', `${QUERY_ERROR_CODES[error.code] ?? error.code};Sender`);
      reply(error.status, { __type: `com.amazonaws.sqs#${error.code}`, message: error.message });
    }
  });
}

function sqsMessage(m: LocalMessage) {
  return {
    MessageId: m.messageId,
    ReceiptHandle: m.receiptHandle,
    MD5OfBody: m.md5OfBody,
    Body: m.body,
    Attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(m.sentTimestamp),
      ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp ?? m.sentTimestamp),
      SenderId: '000000000000',
    },
  };
}

function invalidHandle(): never {
  throw new SqsError('ReceiptHandleIsInvalid', 'The receipt handle is not the latest for any message');
}
