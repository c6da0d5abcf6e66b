/**
 * The bridge's Storage queues (AzureWebJobsStorage: the Function App's account in Azure, Azurite locally).
 *
 * Messages are JSON, base64-encoded: host.json sets `extensions.queues.messageEncoding` to base64, so the Functions
 * host decodes every message it triggers on from base64, and whatever the bridge enqueues must be encoded so.
 */
import { QueueServiceClient, type QueueClient, type StoragePipelineOptions } from '@azure/storage-queue';
import { poisonQueueOf, type QueueName } from '../services/queueMessages';
import { asPoisonEnvelope, parkedQueueOf } from './poisonEnvelope';
import { isStorageOutage, QueueUnavailableError } from './queueOutage';

export function encodeQueueMessage(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A message's text as the Functions host hands it to a function: base64-decoded, then JSON-parsed when it is JSON
 * (otherwise the string). `ok: false` when the text is not base64 at all.
 */
export function decodeQueueMessage(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return { ok: false, reason: 'the message text is not base64 (host.json messageEncoding is base64)' };
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  try {
    return { ok: true, value: JSON.parse(decoded) as unknown };
  } catch {
    return { ok: true, value: decoded };
  }
}

export interface RedriveResult {
  readonly queue: QueueName;
  /** Messages put back on the main queue. */
  readonly moved: number;
  /** From which queue. */
  readonly fromParked: number;
  readonly fromPoison: number;
  /** True when `limit` stopped the move before the queues were empty. */
  readonly more: boolean;
}

/** Storage client options: bounded retries so a health check or a stop never hangs for minutes. */
const PIPELINE: StoragePipelineOptions = { retryOptions: { maxTries: 3, tryTimeoutInMs: 15_000, retryDelayInMs: 200, maxRetryDelayInMs: 2_000 } };

export class QueueStore {
  constructor(private readonly service: QueueServiceClient) {}

  static fromConnectionString(connectionString: string): QueueStore {
    return new QueueStore(QueueServiceClient.fromConnectionString(connectionString, PIPELINE));
  }

  client(name: string): QueueClient {
    return this.service.getQueueClient(name);
  }

  /** Creates the queues that do not exist yet. */
  async ensure(names: readonly string[]): Promise<void> {
    await Promise.all(names.map((n) => this.client(n).createIfNotExists()));
  }

  /**
   * Sends a JSON message (base64). `visibilityTimeoutSeconds` delays it. Throws QueueUnavailableError when the storage
   * cannot be reached (after the client's own bounded retries), so an HTTP function can answer 503.
   */
  async send(queue: string, message: unknown, visibilityTimeoutSeconds?: number): Promise<void> {
    try {
      // Time to live -1: never expires (the default is 7 days; a failed message must wait for its re-drive).
      await this.client(queue).sendMessage(encodeQueueMessage(message), { messageTimeToLive: -1, ...(visibilityTimeoutSeconds ? { visibilityTimeout: visibilityTimeoutSeconds } : {}) });
    } catch (e) {
      if (isStorageOutage(e)) throw new QueueUnavailableError(queue, e instanceof Error ? e.message.split('\n')[0] ?? e.name : String(e));
      throw e;
    }
  }

  /** Approximate message count of each queue (throws when the storage account cannot be reached). */
  async counts(names: readonly string[]): Promise<Record<string, number>> {
    const entries = await Promise.all(names.map(async (n) => [n, (await this.client(n).getProperties()).approximateMessagesCount ?? 0] as const));
    return Object.fromEntries(entries);
  }

  /**
   * Moves failed messages back to the main queue: first the parked ones (recorded as failed), then any still waiting
   * in the poison queue. Each goes back as the original message — the failure envelope is dropped — so it is a new
   * queue message with a fresh dequeue count (a full retry budget). A message is deleted from its source only after
   * it was sent, so a failure in between re-drives it twice, never loses it (the workers are idempotent).
   */
  async redrive(queue: QueueName, limit = 1000): Promise<RedriveResult> {
    const fromParked = await this.moveBack(parkedQueueOf(queue), queue, limit);
    const fromPoison = await this.moveBack(poisonQueueOf(queue), queue, limit - fromParked.moved);
    return { queue, moved: fromParked.moved + fromPoison.moved, fromParked: fromParked.moved, fromPoison: fromPoison.moved, more: fromParked.more || fromPoison.more };
  }

  private async moveBack(source: string, target: QueueName, limit: number): Promise<{ moved: number; more: boolean }> {
    const from = this.client(source);
    let moved = 0;
    while (moved < limit) {
      const batch = await from.receiveMessages({ numberOfMessages: Math.min(32, limit - moved), visibilityTimeout: 60 });
      if (batch.receivedMessageItems.length === 0) return { moved, more: false };
      for (const item of batch.receivedMessageItems) {
        const decoded = decodeQueueMessage(item.messageText);
        const original = decoded.ok ? asPoisonEnvelope(decoded.value, target, 0, new Date()).message : item.messageText;
        if (decoded.ok) await this.send(target, original);
        else await this.client(target).sendMessage(item.messageText, { messageTimeToLive: -1 });
        await from.deleteMessage(item.messageId, item.popReceipt);
        moved += 1;
      }
    }
    const left = await from.peekMessages({ numberOfMessages: 1 });
    return { moved, more: left.peekedMessageItems.length > 0 };
  }
}
