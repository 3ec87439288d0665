import { createHash, randomUUID } from 'node:crypto';

/** A message as the local queue keeps it. */
export interface LocalMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  sentTimestamp: number;
  firstReceiveTimestamp?: number;
  receiveCount: number;
  /** Hidden until then (delay, or visibility timeout after a receive). */
  visibleAt: number;
  /** The handle of the latest receive; only it deletes or reschedules the message. */
  receiptHandle?: string;
}

export interface LocalQueueOptions {
  visibilityTimeoutSeconds: number;
  /** Where messages go once received more than `maxReceiveCount` times, as an SQS redrive policy says. */
  redrive?: { deadLetterQueue: LocalQueue; maxReceiveCount: number };
}

/**
 * An in-memory SQS standard queue with SQS's semantics where the service relies on them: delays, visibility
 * timeouts, receipt handles, receive counts and a redrive policy that moves a message to the dead-letter queue
 * when a receive would exceed `maxReceiveCount`.
 */
export class LocalQueue {
  readonly counts = { sent: 0, received: 0, deleted: 0, movedToDeadLetterQueue: 0 };
  private messages: LocalMessage[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly name: string,
    readonly url: string,
    readonly arn: string,
    readonly options: LocalQueueOptions,
  ) {}

  /** Adds a message, visible after `delaySeconds`. */
  send(body: string, delaySeconds = 0, now = Date.now()): LocalMessage {
    const message: LocalMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
      sentTimestamp: now,
      receiveCount: 0,
      visibleAt: now + delaySeconds * 1000,
    };
    this.messages.push(message);
    this.counts.sent++;
    this.changed();
    return message;
  }

  /** Receives up to `max` visible messages, hiding each for the visibility timeout. */
  receive(max: number, visibilityTimeoutSeconds = this.options.visibilityTimeoutSeconds, now = Date.now()) {
    const received: LocalMessage[] = [];
    for (const message of [...this.messages]) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      const { redrive } = this.options;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        this.remove(message);
        this.counts.movedToDeadLetterQueue++;
        redrive.deadLetterQueue.adopt(message, now);
        continue;
      }
      message.receiveCount++;
      message.firstReceiveTimestamp ??= now;
      message.receiptHandle = randomUUID();
      message.visibleAt = now + visibilityTimeoutSeconds * 1000;
      this.counts.received++;
      received.push({ ...message });
    }
    return received;
  }

  /** Deletes the message a receipt handle names; false when the handle is not its latest. */
  delete(receiptHandle: string): boolean {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (!message) return false;
    this.remove(message);
    this.counts.deleted++;
    return true;
  }

  /** Hides (or, with 0, shows) a received message for `seconds` from now. */
  changeVisibility(receiptHandle: string, seconds: number, now = Date.now()): boolean {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (!message) return false;
    message.visibleAt = now + seconds * 1000;
    this.changed();
    return true;
  }

  /** Messages waiting, in flight (received, hidden) and delayed, and every message kept (for the sandbox's view). */
  state(now = Date.now()) {
    const visible = this.messages.filter((m) => m.visibleAt <= now).length;
    const inFlight = this.messages.filter((m) => m.visibleAt > now && m.receiveCount > 0).length;
    return {
      visible,
      inFlight,
      delayed: this.messages.length - visible - inFlight,
      messages: [...this.messages],
    };
  }

  /** When the next hidden message becomes visible, or undefined when none is hidden. */
  nextVisibleAt(): number | undefined {
    const times = this.messages.map((m) => m.visibleAt);
    return times.length ? Math.min(...times) : undefined;
  }

  /** The messages kept, for saving across a sandbox restart. */
  dump(): LocalMessage[] {
    return this.messages.map((m) => ({ ...m }));
  }

  /** Takes back messages saved by `dump`; received ones become visible again, as after their timeout. */
  restore(messages: LocalMessage[], now = Date.now()): void {
    for (const m of messages) {
      const visibleAt = m.receiveCount > 0 ? Math.min(m.visibleAt, now) : m.visibleAt;
      this.messages.push({ ...m, visibleAt, receiptHandle: undefined });
    }
    this.changed();
  }

  /** Resolves when a message may be visible: at once if one is, else on a send or change, or at `timeoutMs`. */
  waitForMessages(timeoutMs: number): Promise<void> {
    const now = Date.now();
    const next = this.nextVisibleAt();
    if (next !== undefined && next <= now) return Promise.resolve();
    const wait = Math.min(timeoutMs, next === undefined ? timeoutMs : next - now);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, wait);
      this.listeners.add(done);
    });
  }

  private adopt(message: LocalMessage, now: number) {
    this.messages.push({ ...message, visibleAt: now, receiptHandle: undefined });
    this.counts.sent++;
    this.changed();
  }

  private remove(message: LocalMessage) {
    this.messages = this.messages.filter((m) => m !== message);
  }

  private changed() {
    for (const listener of [...this.listeners]) listener();
  }
}
