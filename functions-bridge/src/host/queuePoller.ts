/**
 * Polls one Storage queue with the Functions host's queue-trigger semantics (host.json `extensions.queues`; platform
 * notes "Retries"), for the local host:
 *
 * - receive batches of up to `batchSize` messages, another whole batch whenever no more than `newBatchThreshold`
 *   are in flight, so up to `batchSize + newBatchThreshold` run at once ("The maximum number of messages processed
 *   in parallel by the job is NewBatchThreshold plus BatchSize", QueuesOptions reference); when the queue is empty,
 *   wait from 100 ms doubling up to `maxPollingInterval`;
 * - a received message is invisible for `visibilityTimeout` seconds (QUEUE_RETRY_SECONDS), renewed while its
 *   handler runs so a slow handler is never run twice at once;
 * - the text is base64-decoded (messageEncoding base64) and JSON-parsed when it is JSON; text that is not base64
 *   goes straight to the poison queue, as with the host;
 * - success deletes the message; a failure makes it visible again `visibilityTimeout` seconds later (retry every
 *   30 s by default);
 * - after `maxDequeueCount` failed attempts the message moves, as it is, to `<queue>-poison`; a message found with
 *   a dequeue count above the budget (its last attempt never finished: the process stopped) moves there unprocessed.
 *
 * stop() stops receiving and resolves when the handlers in flight have finished.
 */
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import { decodeQueueMessage } from '../app/queueStore';

export interface ReceivedMessage {
  readonly id: string;
  /** 1 on the first attempt. */
  readonly dequeueCount: number;
  readonly insertedOn: Date;
  readonly expiresOn: Date;
  /** The raw (base64) text. */
  readonly text: string;
}

export type PollerLog = (level: 'info' | 'warn' | 'error', message: string, properties?: Record<string, string | number | boolean>) => void;

export interface QueuePollerOptions {
  readonly queue: QueueClient;
  /** Where exhausted messages go (`<queue>-poison`). */
  readonly poison: QueueClient;
  /** Runs the function; throwing means "failed, retry". */
  readonly handle: (entry: unknown, message: ReceivedMessage) => Promise<void>;
  readonly visibilityTimeoutSeconds: number;
  readonly maxDequeueCount: number;
  /** host.json batchSize (16). */
  readonly batchSize?: number;
  /** host.json newBatchThreshold (batchSize / 2). */
  readonly newBatchThreshold?: number;
  /** host.json maxPollingInterval (2 s). */
  readonly maxPollingIntervalMs?: number;
  readonly log: PollerLog;
}

const MIN_POLL_MS = 100;

export class QueuePoller {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;
  private readonly batchSize: number;
  private readonly threshold: number;
  private readonly maxPollMs: number;

  constructor(private readonly options: QueuePollerOptions) {
    this.batchSize = Math.max(1, Math.min(32, options.batchSize ?? 16));
    // host.json's default is N × batchSize / 2 for N cores, so it may exceed batchSize; no upper bound is documented.
    this.threshold = Math.max(0, options.newBatchThreshold ?? Math.floor(this.batchSize / 2));
    this.maxPollMs = Math.max(MIN_POLL_MS, options.maxPollingIntervalMs ?? 2_000);
  }

  get name(): string {
    return this.options.queue.name;
  }

  /** Messages being handled now. */
  get busy(): number {
    return this.inFlight.size;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops receiving; resolves when every handler in flight has settled. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Wait up to `ms`, or until stop() or a handler finishing wakes us. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    let idleMs = MIN_POLL_MS;
    while (this.running) {
      if (this.inFlight.size > this.threshold) {
        await this.pause(this.maxPollMs);
        continue;
      }
      let items: DequeuedMessageItem[];
      try {
        const res = await this.options.queue.receiveMessages({
          numberOfMessages: this.batchSize,
          visibilityTimeout: this.options.visibilityTimeoutSeconds,
        });
        items = res.receivedMessageItems;
      } catch (e) {
        this.options.log('warn', `receiving from ${this.name} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}; trying again`, { queue: this.name });
        await this.pause(this.maxPollMs);
        continue;
      }
      if (items.length === 0) {
        await this.pause(idleMs);
        idleMs = Math.min(idleMs * 2, this.maxPollMs);
        continue;
      }
      idleMs = MIN_POLL_MS;
      for (const item of items) {
        const job: Promise<void> = this.process(item).finally(() => {
          this.inFlight.delete(job);
          if (this.inFlight.size <= this.threshold) this.wake?.();
        });
        this.inFlight.add(job);
      }
    }
  }

  private async process(item: DequeuedMessageItem): Promise<void> {
    const { maxDequeueCount, visibilityTimeoutSeconds } = this.options;
    const message: ReceivedMessage = {
      id: item.messageId,
      dequeueCount: item.dequeueCount,
      insertedOn: item.insertedOn,
      expiresOn: item.expiresOn,
      text: item.messageText,
    };
    if (item.dequeueCount > maxDequeueCount) {
      await this.moveToPoison(item, item.popReceipt, `its dequeue count ${item.dequeueCount} is over the budget of ${maxDequeueCount} (the last attempt did not finish)`);
      return;
    }
    const decoded = decodeQueueMessage(item.messageText);
    if (!decoded.ok) {
      await this.moveToPoison(item, item.popReceipt, decoded.reason);
      return;
    }

    // Keep the message invisible while the handler runs (the host renews its lease the same way).
    let popReceipt = item.popReceipt;
    let renewal: Promise<void> = Promise.resolve();
    const renewEveryMs = Math.max(250, (visibilityTimeoutSeconds * 1000) / 2);
    const timer = setInterval(() => {
      renewal = renewal.then(async () => {
        try {
          popReceipt = (await this.options.queue.updateMessage(item.messageId, popReceipt, undefined, visibilityTimeoutSeconds)).popReceipt ?? popReceipt;
        } catch (e) {
          this.options.log('warn', `could not extend the lease of message ${item.messageId} on ${this.name}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { queue: this.name });
        }
      });
    }, renewEveryMs);

    let failure: unknown;
    let failed = false;
    try {
      await this.options.handle(decoded.value, message);
    } catch (e) {
      failed = true;
      failure = e;
    } finally {
      clearInterval(timer);
      await renewal;
    }

    try {
      if (!failed) {
        await this.options.queue.deleteMessage(item.messageId, popReceipt);
        return;
      }
      const reason = failure instanceof Error ? failure.message : String(failure);
      if (item.dequeueCount >= maxDequeueCount) {
        await this.moveToPoison(item, popReceipt, `attempt ${item.dequeueCount} of ${maxDequeueCount} failed: ${reason}`);
        return;
      }
      this.options.log('warn', `message ${item.messageId} on ${this.name} failed (attempt ${item.dequeueCount} of ${maxDequeueCount}); retry in ${visibilityTimeoutSeconds} s: ${reason}`, {
        queue: this.name,
        dequeueCount: item.dequeueCount,
      });
      await this.options.queue.updateMessage(item.messageId, popReceipt, undefined, visibilityTimeoutSeconds);
    } catch (e) {
      // The message reappears when its visibility ends; the next attempt settles it.
      this.options.log('warn', `could not settle message ${item.messageId} on ${this.name}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { queue: this.name });
    }
  }

  /** As the host does: the message text as it is to `<queue>-poison`, then deleted here. */
  private async moveToPoison(item: DequeuedMessageItem, popReceipt: string, reason: string): Promise<void> {
    try {
      await this.options.poison.sendMessage(item.messageText, { messageTimeToLive: -1 });
      await this.options.queue.deleteMessage(item.messageId, popReceipt);
      this.options.log('warn', `message ${item.messageId} moved from ${this.name} to ${this.options.poison.name}: ${reason}`, { queue: this.name });
    } catch (e) {
      this.options.log('error', `could not move message ${item.messageId} to ${this.options.poison.name}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { queue: this.name });
    }
  }
}
