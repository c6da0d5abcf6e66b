/**
 * What the queue-triggered functions do around a worker, the same in Azure and in the local host.
 *
 * Work queue (`task-sync`, `booking-dispatch`):
 * - the message is validated with its zod schema; a malformed one cannot succeed on a retry, so it is logged, an
 *   exception is tracked (failure MalformedMessage) and it is dropped (the function completes);
 * - the worker runs; returning completes the message (the host deletes it);
 * - a throw is a retry: the host makes the message visible again after the visibility timeout (host.json: 30 s);
 * - on the last attempt (dequeueCount = maxDequeueCount) the function itself puts the message in `<queue>-poison`
 *   wrapped with the last error and completes, so the poison handler can say why (poisonEnvelope.ts);
 * - a PermanentFailure escaping a worker is not retried either: tracked and dropped.
 *
 * Poison queue (`<queue>-poison`): the poison handler records the failure on the row (Failed + reason), one exception
 * with the fixed dimensions is tracked for the alert rule (unless the worker reports its own), and the envelope is
 * parked in `<queue>-parked` for a re-drive. If recording fails, it is retried like any message; on its last attempt
 * the envelope is parked anyway (recorded: false) and PoisonHandlerFailed is tracked, so nothing is lost silently.
 */
import type { InvocationContext } from '@azure/functions';
import { poisonQueueOf } from '../services/queueMessages';
import { PermanentFailure, type WorkerContext } from '../services/workerContract';
import type { Bridge, QueueBinding } from './bridge';
import { asPoisonEnvelope, parkedQueueOf, type PoisonEnvelope } from './poisonEnvelope';

/** The host's trigger metadata gives the dequeue count (1 on the first attempt). */
export function dequeueCountOf(context: InvocationContext): number {
  const n = Number(context.triggerMetadata?.['dequeueCount']);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The host hands JSON messages over parsed; should one arrive as text, it is parsed here. */
function jsonOf(entry: unknown): unknown {
  if (typeof entry !== 'string') return entry;
  try {
    return JSON.parse(entry) as unknown;
  } catch {
    return entry;
  }
}

function workerContext(bridge: Bridge, context: InvocationContext, dequeueCount: number, maxDequeueCount: number): WorkerContext {
  return {
    dequeueCount,
    maxDequeueCount,
    log: (level, message, properties) =>
      bridge.telemetry.log(level, message, { function: context.functionName, invocationId: context.invocationId, ...properties }),
  };
}

function guessRecordId(entry: unknown): string {
  if (entry && typeof entry === 'object') {
    const e = entry as Record<string, unknown>;
    for (const k of ['taskSyncId', 'bookingId']) if (typeof e[k] === 'string') return (e[k] as string).slice(0, 64);
  }
  return '';
}

function issuesOf(error: { issues: { path: (string | number)[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'message'} ${i.message}`)
    .join('; ');
}

/** A work-queue message: validate, run the worker, retry by throwing, poison on the last attempt. */
export async function runQueueMessage<M>(bridge: Bridge, binding: QueueBinding<M>, raw: unknown, context: InvocationContext): Promise<void> {
  const entry = jsonOf(raw);
  const parsed = binding.schema.safeParse(entry);
  if (!parsed.success) {
    const detail = issuesOf(parsed.error);
    bridge.telemetry.trackException(new Error(`Malformed ${binding.queue} message dropped (retrying cannot fix it): ${detail}`), {
      failure: 'MalformedMessage',
      queue: binding.queue,
      recordId: guessRecordId(entry),
      step: 'validate-message',
      lastError: detail,
    });
    return;
  }
  const max = bridge.settings.QUEUE_MAX_DEQUEUE_COUNT;
  const dequeueCount = dequeueCountOf(context);
  const message = parsed.data;
  try {
    await binding.worker(message, workerContext(bridge, context, dequeueCount, max));
  } catch (e) {
    const recordId = binding.recordIdOf(message);
    if (e instanceof PermanentFailure) {
      bridge.telemetry.trackException(e, { failure: 'PermanentFailure', queue: binding.queue, recordId, step: binding.stepOf(e.message) ?? 'unknown', lastError: e.message });
      return;
    }
    if (dequeueCount < max) throw e;
    const envelope: PoisonEnvelope = {
      kind: 'poison',
      queue: binding.queue,
      message: entry,
      lastError: bridge.telemetry.redact(errorText(e)).slice(0, 4000),
      attempts: dequeueCount,
      failedOn: bridge.now().toISOString(),
    };
    try {
      await bridge.queues.send(poisonQueueOf(binding.queue), envelope);
    } catch (sendError) {
      // The host moves the bare message to the poison queue itself when we throw on the last attempt.
      bridge.telemetry.log('warn', `Could not write the poison envelope (${errorText(sendError)}); the host moves the message to ${poisonQueueOf(binding.queue)} without its error`, { queue: binding.queue, recordId });
      throw e;
    }
    bridge.telemetry.log('warn', `${binding.queue} message for ${recordId} failed ${dequeueCount} of ${max} attempts; moved to ${poisonQueueOf(binding.queue)}`, {
      queue: binding.queue,
      recordId,
    });
  }
}

/** A poison-queue message: record the failure, track it, park it for a re-drive. */
export async function runPoisonMessage<M>(bridge: Bridge, binding: QueueBinding<M>, raw: unknown, context: InvocationContext): Promise<void> {
  const entry = jsonOf(raw);
  const max = bridge.settings.QUEUE_MAX_DEQUEUE_COUNT;
  const dequeueCount = dequeueCountOf(context);
  const envelope = asPoisonEnvelope(entry, binding.queue, max, bridge.now());
  const park = (recorded: boolean, recordError?: string): Promise<void> =>
    bridge.queues.send(parkedQueueOf(binding.queue), { ...envelope, recorded, recordedOn: bridge.now().toISOString(), ...(recordError ? { recordError } : {}) });

  const parsed = binding.schema.safeParse(envelope.message);
  if (!parsed.success) {
    const detail = issuesOf(parsed.error);
    bridge.telemetry.trackException(new Error(`Malformed message in ${poisonQueueOf(binding.queue)}: ${detail}; parked in ${parkedQueueOf(binding.queue)}`), {
      failure: 'MalformedMessage',
      queue: poisonQueueOf(binding.queue),
      recordId: guessRecordId(envelope.message),
      step: 'validate-message',
      lastError: detail,
    });
    await park(false, detail);
    return;
  }
  const message = parsed.data;
  const recordId = binding.recordIdOf(message);
  const step = binding.stepOf(envelope.lastError) ?? 'unknown';
  const dimensions = {
    queue: binding.queue,
    recordId,
    step,
    attempts: String(envelope.attempts),
    lastError: envelope.lastError.slice(0, 1000),
    correlationId: typeof (message as { correlationId?: unknown }).correlationId === 'string' ? (message as { correlationId: string }).correlationId : '',
  };
  try {
    await binding.onPoison(message, envelope.lastError, workerContext(bridge, context, envelope.attempts, max));
  } catch (e) {
    if (dequeueCount < max) throw e;
    const reason = bridge.telemetry.redact(errorText(e));
    bridge.telemetry.trackException(new Error(`Could not record the failure of ${binding.queue} message for ${recordId} after ${dequeueCount} attempts: ${reason}; parked in ${parkedQueueOf(binding.queue)}`), {
      ...dimensions,
      failure: 'PoisonHandlerFailed',
    });
    await park(false, reason);
    return;
  }
  if (!binding.reportsOwnPoison) {
    bridge.telemetry.trackException(
      new Error(`${binding.queue} message for ${recordId} failed ${envelope.attempts} attempt(s) and went to ${poisonQueueOf(binding.queue)} (step ${step}): ${envelope.lastError}`),
      { ...dimensions, failure: binding.poisonedFailure },
    );
  }
  await park(true);
}
