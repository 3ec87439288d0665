import { describe, expect, it } from 'vitest';
import { LocalQueue } from '#local/sqs-queue';

function queues(maxReceiveCount = 3) {
  const deadLetters = new LocalQueue('dlq', 'http://q/dlq', 'arn:dlq', { visibilityTimeoutSeconds: 30 });
  const queue = new LocalQueue('q', 'http://q/q', 'arn:q', {
    visibilityTimeoutSeconds: 30,
    redrive: { deadLetterQueue: deadLetters, maxReceiveCount },
  });
  return { queue, deadLetters };
}

describe('local SQS queue', () => {
  it('hides a received message for its visibility timeout and counts its receives', () => {
    const { queue } = queues();
    queue.send('hello', 0, 1000);

    const [first] = queue.receive(10, 30, 1000);

    expect(first?.receiveCount).toBe(1);
    expect(queue.receive(10, 30, 30_999)).toEqual([]);
    expect(queue.receive(10, 30, 31_000)[0]?.receiveCount).toBe(2);
  });

  it('delays a message sent with a delay', () => {
    const { queue } = queues();
    queue.send('later', 5, 0);

    expect(queue.receive(10, 30, 4999)).toEqual([]);
    expect(queue.receive(10, 30, 5000)).toHaveLength(1);
  });

  it('deletes and reschedules only with the latest receipt handle', () => {
    const { queue } = queues();
    queue.send('x', 0, 0);
    const stale = queue.receive(1, 0, 0)[0]?.receiptHandle as string;
    const latest = queue.receive(1, 30, 0)[0]?.receiptHandle as string;

    expect(queue.changeVisibility(stale, 0, 0)).toBe(false);
    expect(queue.changeVisibility(latest, 0, 0)).toBe(true);
    expect(queue.delete(stale)).toBe(false);
    expect(queue.delete(queue.receive(1, 30, 0)[0]?.receiptHandle as string)).toBe(true);
    expect(queue.state(0).messages).toEqual([]);
  });

  it('restores dumped messages, received ones visible again with their receive counts', () => {
    const { queue } = queues();
    queue.send('a', 0, 0);
    queue.send('b', 60, 0);
    queue.receive(1, 30, 0);

    const restored = queues().queue;
    restored.restore(queue.dump(), 1);

    expect(restored.receive(10, 30, 1).map((m) => [m.body, m.receiveCount])).toEqual([['a', 2]]);
  });

  it('moves a message to the dead-letter queue when a receive would exceed maxReceiveCount', () => {
    const { queue, deadLetters } = queues(3);
    queue.send('poison', 0, 0);
    for (let i = 1; i <= 3; i++) expect(queue.receive(1, 0, i)[0]?.receiveCount).toBe(i);

    expect(queue.receive(1, 0, 10)).toEqual([]);
    expect(queue.counts.movedToDeadLetterQueue).toBe(1);
    expect(deadLetters.state(10).messages.map((m) => m.body)).toEqual(['poison']);
  });
});
