/**
 * The `booking-dispatch` queue worker and its poison handler (DESIGN §1 steps 7–9 and the failure row).
 *
 * - worker: dispatches the booking. Retryable failures are thrown: the host makes the message visible again after
 *   the visibility timeout (30 s) until maxDequeueCount, then moves it to `booking-dispatch-poison`. A permanent
 *   failure (the app refuses the ticket with a 4xx, the data cannot make a ticket, or Dataverse refuses our request
 *   as malformed) is not retried: the booking shows Dispatch Status Failed and an exception is tracked.
 * - onPoison: the retries are spent. The booking shows Dispatch Status Failed (users see it), and one exception is
 *   tracked with fixed dimensions — `failure`, `bookingId`, `step`, `lastError`, … — which the Azure Monitor alert
 *   rule matches to e-mail support. The booking has no column for the reason and the schema gets none: the reason
 *   goes to the log and the telemetry. Re-drive: re-queue the message from the poison queue, or change the booking.
 */
import type { DataverseClient } from '../dataverse/dataverseClient';
import { redactSecrets, type MobilityAdapter } from '../mobility';
import { bookingDispatchMessageSchema, poisonQueueOf, QUEUES, type BookingDispatchMessage } from '../queueMessages';
import type { PoisonHandler, QueueWorker, WorkerContext } from '../workerContract';
import { BookingDispatchError, dispatchBooking, dispatchStepOf, markDispatchFailed, type DispatchStep } from './dispatchBooking';

/** Exception telemetry: Application Insights' trackException in Azure, with customDimensions = properties. */
export type TrackException = (error: Error, properties: Readonly<Record<string, string>>) => void;

export interface BookingDispatchWorkerDeps {
  readonly dataverse: DataverseClient;
  readonly mobility: MobilityAdapter;
  readonly now?: () => Date;
  /** Where exceptions go for the alert rule; the log always gets the same line and dimensions. */
  readonly trackException?: TrackException;
  /** Seconds between retries (QUEUE_RETRY_SECONDS), for the "retry in" sentence. Default 30. */
  readonly retrySeconds?: number;
}

/** The `failure` dimension values the alert rule matches. */
export const BOOKING_DISPATCH_FAILURES = {
  /** Retries spent (poison queue). */
  poisoned: 'BookingDispatchPoisoned',
  /** The app refused the ticket (4xx) or the data cannot make one: not retried. */
  refused: 'BookingDispatchRefused',
  /** Dataverse refused our own request as malformed (a permanent 4xx): not retried. */
  failed: 'BookingDispatchFailed',
  invalidMessage: 'BookingDispatchInvalidMessage',
} as const;

const POISON_QUEUE = poisonQueueOf(QUEUES.bookingDispatch);

export function createBookingDispatchWorker(deps: BookingDispatchWorkerDeps): {
  worker: QueueWorker<BookingDispatchMessage>;
  onPoison: PoisonHandler<BookingDispatchMessage>;
} {
  const retrySeconds = deps.retrySeconds ?? 30;

  const report = (context: WorkerContext, error: Error, dimensions: Record<string, string>): void => {
    context.log('error', error.message, dimensions);
    deps.trackException?.(error, dimensions);
  };

  /** Dispatch Status Failed on the booking; false when it cannot be recorded (gone, or Dataverse failing). */
  const recordFailed = async (message: BookingDispatchMessage, context: WorkerContext): Promise<boolean> => {
    if (message.trigger === 'Delete') return false;
    try {
      return await markDispatchFailed(deps.dataverse, message.bookingId);
    } catch (e) {
      context.log('error', `Booking ${message.bookingId}: could not record Dispatch Status Failed: ${e instanceof Error ? e.message : String(e)}`, { bookingId: message.bookingId });
      return false;
    }
  };

  const dimensionsOf = (message: BookingDispatchMessage, context: WorkerContext, failure: string, step: DispatchStep | 'unknown', lastError: string, recorded: boolean): Record<string, string> => ({
    failure,
    bookingId: message.bookingId,
    step,
    lastError: redactSecrets(lastError).slice(0, 1000),
    trigger: message.trigger,
    versionNumber: message.versionNumber ?? '',
    correlationId: message.correlationId,
    attempts: String(context.dequeueCount),
    recorded: String(recorded),
  });

  const worker: QueueWorker<BookingDispatchMessage> = async (raw, context) => {
    const parsed = bookingDispatchMessageSchema.safeParse(raw);
    if (!parsed.success) {
      // Retrying a malformed message cannot help; say so loudly instead of poisoning it slowly.
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'message'} ${i.message}`).join('; ');
      report(context, new Error(`Malformed booking-dispatch message dropped: ${detail}`), {
        failure: BOOKING_DISPATCH_FAILURES.invalidMessage,
        bookingId: typeof (raw as { bookingId?: unknown })?.bookingId === 'string' ? (raw as { bookingId: string }).bookingId : '',
        step: 'validate-message',
        lastError: detail.slice(0, 1000),
      });
      return;
    }
    const message = parsed.data;
    try {
      const outcome = await dispatchBooking(message, { dataverse: deps.dataverse, mobility: deps.mobility, log: context.log, now: deps.now });
      if (outcome.result === 'PermanentFailure') {
        report(context, new Error(outcome.reason), dimensionsOf(message, context, BOOKING_DISPATCH_FAILURES.refused, 'send-ticket', outcome.reason, outcome.recorded));
      }
    } catch (e) {
      if (e instanceof BookingDispatchError && !e.retryable) {
        const recorded = await recordFailed(message, context);
        const failure = e.step === 'send-ticket' ? BOOKING_DISPATCH_FAILURES.refused : BOOKING_DISPATCH_FAILURES.failed;
        report(context, new Error(`${e.message} — not retried (retrying cannot fix it)`), dimensionsOf(message, context, failure, e.step, e.message, recorded));
        return;
      }
      const last = context.dequeueCount >= context.maxDequeueCount;
      const text = e instanceof Error ? e.message : String(e);
      context.log('warn', `${text} — ${last ? `attempt ${context.dequeueCount} of ${context.maxDequeueCount}: the message goes to ${POISON_QUEUE}` : `attempt ${context.dequeueCount} of ${context.maxDequeueCount}, retry in ${retrySeconds} s`}`, {
        bookingId: message.bookingId,
        step: e instanceof BookingDispatchError ? e.step : 'unknown',
        attempt: context.dequeueCount,
      });
      throw e;
    }
  };

  const onPoison: PoisonHandler<BookingDispatchMessage> = async (message, lastError, context) => {
    const step = dispatchStepOf(lastError) ?? 'unknown';
    const recorded = await recordFailed(message, context);
    const reason =
      `Booking ${message.bookingId} was not sent to the mobility app after ${context.dequeueCount} attempts (step ${step}): ${redactSecrets(lastError)}. ` +
      `${recorded ? 'Its Dispatch Status is Failed. ' : ''}The message is in ${POISON_QUEUE}: re-queue it (or change the booking) once the cause is fixed.`;
    report(context, new Error(reason), dimensionsOf(message, context, BOOKING_DISPATCH_FAILURES.poisoned, step, lastError, recorded));
  };

  return { worker, onPoison };
}
