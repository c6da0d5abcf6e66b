/**
 * What sits in `<queue>-poison` and `<queue>-parked`.
 *
 * The Functions host moves a message that failed `maxDequeueCount` times to `<queue>-poison` as it was, without the
 * error. So that the poison handler can say WHY (the step, Dataverse's code), the queue function itself, on the last
 * attempt, writes the message to the poison queue wrapped in an envelope with the last error, and completes. The
 * host's own move still happens when the last attempt never finishes (crash, timeout): then the poison queue holds the
 * bare message, and the poison handler says the error was not recorded.
 *
 * A queue trigger deletes what it handled, so the poison trigger, once it has recorded the failure (row Failed,
 * exception tracked), parks the envelope in `<queue>-parked`. Nothing consumes that queue: it holds the failed
 * messages until an operator re-drives them (POST /api/admin/redrive) or they expire.
 */
import { z } from 'zod';
import { poisonQueueOf, type QueueName } from '../services/queueMessages';

export const parkedQueueOf = (queue: QueueName): string => `${queue}-parked`;

/** Every queue a main queue needs: itself, its poison queue and its parking queue. */
export const queueFamily = (queue: QueueName): string[] => [queue, poisonQueueOf(queue), parkedQueueOf(queue)];

export const poisonEnvelopeSchema = z.object({
  kind: z.literal('poison'),
  queue: z.string(),
  /** The original message, as it was on the main queue. */
  message: z.unknown(),
  /** The last attempt's error (redacted), or a sentence saying it is unknown. */
  lastError: z.string(),
  /** Attempts made (the dequeue count of the last one). */
  attempts: z.number().int().min(0),
  failedOn: z.string(),
  /** Set when parked: whether the poison handler recorded the failure on the row. */
  recorded: z.boolean().optional(),
  recordedOn: z.string().optional(),
  /** Why recording failed, when it did. */
  recordError: z.string().optional(),
});
export type PoisonEnvelope = z.infer<typeof poisonEnvelopeSchema>;

export const UNKNOWN_LAST_ERROR = 'The retries were spent but the last error was not recorded (the last attempt did not finish: the process stopped or timed out).';

/** A poison-queue entry as an envelope: an envelope as is, a bare message (moved by the host) wrapped. */
export function asPoisonEnvelope(entry: unknown, queue: QueueName, attempts: number, now: Date): PoisonEnvelope {
  const parsed = poisonEnvelopeSchema.safeParse(entry);
  if (parsed.success) return parsed.data;
  return { kind: 'poison', queue, message: entry, lastError: UNKNOWN_LAST_ERROR, attempts, failedOn: now.toISOString() };
}
