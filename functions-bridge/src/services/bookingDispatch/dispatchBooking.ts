/**
 * Sends one booking to the mobility app (DESIGN §1 steps 7–9) and records the result on the booking.
 *
 * 1. Read the booking and everything the ticket needs: one Dataverse request (readBooking.ts). The message carries
 *    ids only, so a late or retried message always sends the booking as it is now.
 * 2. Map it to a ticket (bookingTicket.ts). Cancelled booking → cancel the ticket; deleted booking (trigger Delete,
 *    the row is gone) → cancel the ticket by its id, the booking id; `message.deleted.mobilityRef` is only reported.
 * 3. Call the app with the idempotency key `<bookingId>:<versionNumber>` (`:cancel` / `:delete` appended for the
 *    cancel calls, so a cancel never collides with the upsert of the same version). The version is the one the webhook saw, so every
 *    redelivery of the same message replays the same key and creates no new ticket version. A 409
 *    idempotency-key-reused means this version went out before with other content: superseded, skipped.
 * 4. Record pfb_dispatchstatus Sent, pfb_mobilityref, pfb_lastdispatchedon with If-Match: <etag read in 1>. If the
 *    booking changed meanwhile, what was sent may be stale (another instance may have sent the newer state first):
 *    go back to 1 and send the current state, at most 3 rounds, then let the queue retry.
 *
 * Failures: a retryable mobility failure (5xx, 429, timeout, TLS, Key Vault) is thrown — the queue retries every
 * 30 s and the poison handler records Failed once the budget is spent. A non-retryable one (4xx: the ticket itself is
 * refused) or data that cannot make a ticket is a permanent failure: recorded as Failed and logged with the reason
 * (the booking has no column for the reason and the schema gets none; the log and the exception telemetry carry it).
 */
import { bookableresourcebooking, DispatchStatus } from '@pfb/domain';
import type { DataverseClient } from '../dataverse/dataverseClient';
import { DataverseRequestError } from '../dataverse/dataverseError';
import { MobilityError, redactSecrets, type MobilityAdapter } from '../mobility';
import type { BookingDispatchMessage } from '../queueMessages';
import type { WorkerContext } from '../workerContract';
import { bookingLabel, ticketFromBooking } from './bookingTicket';
import { readBookingForDispatch, type BookingSnapshot } from './readBooking';

export type DispatchLog = WorkerContext['log'];

export interface DispatchDeps {
  readonly dataverse: DataverseClient;
  readonly mobility: MobilityAdapter;
  readonly log: DispatchLog;
  readonly now?: () => Date;
}

/** Where a dispatch failed; named in errors, logs and the poison telemetry. */
export type DispatchStep = 'read-booking' | 'send-ticket' | 'record-dispatch';

export type DispatchOutcome =
  | {
      readonly result: 'Sent';
      readonly bookingId: string;
      /** What the app was asked to do. */
      readonly action: 'upsert' | 'cancel';
      readonly idempotencyKey: string;
      readonly mobilityRef: string | null;
      /** The ticket's version in the app (null when a cancel found no ticket). */
      readonly version: number | null;
      /** False when the app had no such ticket to cancel. */
      readonly found: boolean;
      /** False when there was no booking row left to record on (deleted). */
      readonly recorded: boolean;
    }
  | { readonly result: 'Skipped'; readonly bookingId: string; readonly reason: string }
  | { readonly result: 'PermanentFailure'; readonly bookingId: string; readonly reason: string; readonly status?: number; readonly recorded: boolean };

/**
 * A dispatch step failed. Its message names the booking, the step and the cause, so the poison handler and the logs
 * can tell where it stopped (`step` is parsed back from `lastError` there); `retryable` says whether the queue should
 * try again.
 */
export class BookingDispatchError extends Error {
  constructor(
    readonly bookingId: string,
    readonly step: DispatchStep,
    cause: unknown,
  ) {
    super(redactSecrets(`Booking ${bookingId}: step "${step}" failed: ${cause instanceof Error ? cause.message : String(cause)}`), { cause });
    this.name = 'BookingDispatchError';
  }

  /** True unless the cause says retrying cannot help (a permanent Dataverse error, e.g. a bad request). */
  get retryable(): boolean {
    const cause = this.cause;
    if (cause instanceof MobilityError) return cause.retryable;
    if (cause instanceof DataverseRequestError) return !cause.permanent;
    return true;
  }
}

const STEP_PATTERN = /step "(read-booking|send-ticket|record-dispatch)"/;

/** The step named in a BookingDispatchError message, when it is one. */
export function dispatchStepOf(errorMessage: string): DispatchStep | undefined {
  return STEP_PATTERN.exec(errorMessage)?.[1] as DispatchStep | undefined;
}

/**
 * `<bookingId>:<versionNumber>` for an upsert; `:cancel` or `:delete` appended for the cancel calls, so a key is
 * never used for two different requests (the app answers 409 to that).
 */
export function idempotencyKeyOf(bookingId: string, versionNumber: string | null, action: 'upsert' | 'cancel' | 'delete'): string {
  const base = `${bookingId}:${versionNumber ?? 'unversioned'}`;
  return action === 'upsert' ? base : `${base}:${action}`;
}

const BOOKINGS = bookableresourcebooking.entitySetName;
const C = bookableresourcebooking.columns;

/**
 * The columns the booking webhook step filters on (sdkmessageprocessingstep.filteringattributes, comma-separated):
 * a change of any of them queues a dispatch; nothing else does — in particular not the dispatch columns written
 * below, which is what keeps the bridge's own write from sending the booking again.
 */
export const BOOKING_DISPATCH_FILTERING_ATTRIBUTES: readonly string[] = [C.starttime, C.endtime, C.resource, C.bookingstatus].map((c) => c.logicalName);

/** The columns dispatch writes on the booking (none of them may be a filtering attribute). */
export const BOOKING_DISPATCH_WRITTEN_COLUMNS: readonly string[] = [C.pfb_dispatchstatus, C.pfb_mobilityref, C.pfb_lastdispatchedon].map((c) => c.logicalName);

/** Send-and-record rounds when the booking keeps changing under us; then the queue retries. */
const MAX_ROUNDS = 3;

interface Sent {
  readonly mobilityRef: string | null;
  readonly version: number | null;
  readonly found: boolean;
}

export async function dispatchBooking(message: BookingDispatchMessage, deps: DispatchDeps): Promise<DispatchOutcome> {
  const { bookingId } = message;
  if (message.trigger === 'Delete') return cancelDeleted(message, deps);

  for (let round = 1; ; round += 1) {
    let booking: BookingSnapshot | null;
    try {
      booking = await readBookingForDispatch(deps.dataverse, bookingId);
    } catch (e) {
      throw new BookingDispatchError(bookingId, 'read-booking', e);
    }
    if (!booking) {
      // Deleted since the webhook fired: its Delete message cancels the ticket.
      const reason = `Booking ${bookingId} no longer exists; its Delete message cancels the ticket`;
      deps.log('info', reason, { bookingId, trigger: message.trigger });
      return { result: 'Skipped', bookingId, reason };
    }

    const mapped = ticketFromBooking(booking);
    if (!mapped.ok) {
      if (mapped.kind === 'skip') {
        deps.log('info', `Not dispatched: ${mapped.reason}`, { bookingId });
        return { result: 'Skipped', bookingId, reason: mapped.reason };
      }
      return recordPermanentFailure(booking.id, mapped.reason, undefined, deps);
    }

    const { ticket } = mapped;
    const action = ticket.status === 'Cancelled' ? 'cancel' : 'upsert';
    // First round: the version the webhook saw, so a redelivered message repeats its key exactly (the row's own
    // version is the fallback when the message carried none). Later rounds send what was just re-read, under that
    // row version.
    const idempotencyKey = idempotencyKeyOf(bookingId, round === 1 ? (message.versionNumber ?? booking.versionNumber) : booking.versionNumber, action);
    let sent: Sent;
    try {
      sent =
        action === 'cancel'
          ? await cancel(booking, idempotencyKey, deps)
          : { ...(await deps.mobility.upsertTicket(ticket, idempotencyKey)), found: true };
    } catch (e) {
      if (e instanceof MobilityError && e.idempotencyKeyReused) {
        // This version was sent before with other content: the booking (or its work order) changed since, and the
        // change that matters for the field has its own message with its own key. Nothing to do for this one.
        const reason = `${bookingLabel(booking)}: version ${idempotencyKey} was already sent with other content; superseded by a later change`;
        deps.log('info', reason, { bookingId, idempotencyKey });
        return { result: 'Skipped', bookingId, reason };
      }
      if (e instanceof MobilityError && !e.retryable) {
        return recordPermanentFailure(booking.id, `${bookingLabel(booking)}: the mobility app refused the ticket — ${e.message}`, e.status, deps);
      }
      throw new BookingDispatchError(bookingId, 'send-ticket', e);
    }

    // Loop safety: this update of the booking must not send the booking again. It does not, because the webhook
    // step on bookableresourcebooking filters on starttime, endtime, resource and bookingstatus only (the step's
    // filteringattributes, BOOKING_DISPATCH_FILTERING_ATTRIBUTES), and this write touches none of them: no webhook
    // fires, no message is queued (dispatchBooking.test.ts registers such a step and checks it).
    //
    // If-Match: <the etag read above>. Storage queues do not order messages and several instances may dispatch the
    // same booking at once (DESIGN §8): a worker that read an older state can land its PUT after a newer one. The
    // etag tells: if the booking changed between our read and this write, what we sent may be stale, so read again
    // and send the current state (under its row version). It is also update-only: a plain PATCH by id would recreate
    // a booking deleted meanwhile (dataverse-facts §5.4); a deleted booking fails the condition and the re-read
    // finds it gone.
    const mobilityRef = sent.mobilityRef ?? booking.mobilityRef;
    const written = await recordSent(booking, mobilityRef, deps);
    if (written) {
      deps.log('info', `${bookingLabel(booking)} ${action === 'cancel' ? (sent.found ? 'cancelled in' : 'had no ticket in') : 'sent to'} the mobility app`, {
        bookingId,
        action,
        idempotencyKey,
        mobilityRef: mobilityRef ?? '',
        version: sent.version ?? -1,
      });
      return { result: 'Sent', bookingId, action, idempotencyKey, mobilityRef, version: sent.version, found: sent.found, recorded: true };
    }
    if (round >= MAX_ROUNDS) {
      throw new BookingDispatchError(bookingId, 'record-dispatch', new Error(`the booking changed while it was being sent, ${round} times in a row`));
    }
    deps.log('info', `${bookingLabel(booking)} changed while it was being sent; sending its current state`, { bookingId, round });
  }
}

async function cancel(booking: BookingSnapshot, idempotencyKey: string, deps: DispatchDeps): Promise<Sent> {
  const result = await deps.mobility.cancelTicket(booking.id, `Booking cancelled in Dynamics 365 (status ${booking.status?.name ?? 'Canceled'})`, idempotencyKey);
  return { mobilityRef: result.mobilityRef, version: result.version, found: result.found };
}

/** Sent + reference + time, conditional on the etag read; false when the booking changed (or went) meanwhile. */
async function recordSent(booking: BookingSnapshot, mobilityRef: string | null, deps: DispatchDeps): Promise<boolean> {
  const data = {
    [C.pfb_dispatchstatus.logicalName]: DispatchStatus.Sent,
    [C.pfb_lastdispatchedon.logicalName]: (deps.now?.() ?? new Date()).toISOString(),
    ...(mobilityRef ? { [C.pfb_mobilityref.logicalName]: mobilityRef } : {}),
  };
  try {
    await deps.dataverse.update(BOOKINGS, booking.id, data, booking.etag ?? '*');
    return true;
  } catch (e) {
    if (e instanceof DataverseRequestError && (e.status === 412 || e.status === 404)) return false;
    throw new BookingDispatchError(booking.id, 'record-dispatch', e);
  }
}

async function cancelDeleted(message: BookingDispatchMessage, deps: DispatchDeps): Promise<DispatchOutcome> {
  const { bookingId } = message;
  const idempotencyKey = idempotencyKeyOf(bookingId, message.versionNumber, 'delete');
  const mobilityRef = message.deleted?.mobilityRef ?? null;
  try {
    const cancelled = await deps.mobility.cancelTicket(bookingId, 'Booking deleted in Dynamics 365', idempotencyKey);
    deps.log('info', `Booking ${bookingId} was deleted: ${cancelled.found ? 'ticket cancelled' : 'the mobility app had no ticket'}`, { bookingId, mobilityRef: mobilityRef ?? '' });
    return { result: 'Sent', bookingId, action: 'cancel', idempotencyKey, mobilityRef: cancelled.mobilityRef ?? mobilityRef, version: cancelled.version, found: cancelled.found, recorded: false };
  } catch (e) {
    if (e instanceof MobilityError && e.idempotencyKeyReused) {
      const reason = `Deleted booking ${bookingId}: its cancel was already sent under ${idempotencyKey}`;
      deps.log('info', reason, { bookingId, idempotencyKey });
      return { result: 'Skipped', bookingId, reason };
    }
    if (e instanceof MobilityError && !e.retryable) {
      const reason = `Deleted booking ${bookingId}: the mobility app refused to cancel ticket ${mobilityRef ?? bookingId} — ${e.message}`;
      deps.log('error', reason, { bookingId, status: e.status ?? 0 });
      return { result: 'PermanentFailure', bookingId, reason, status: e.status, recorded: false };
    }
    throw new BookingDispatchError(bookingId, 'send-ticket', e);
  }
}

async function recordPermanentFailure(bookingId: string, reason: string, status: number | undefined, deps: DispatchDeps): Promise<DispatchOutcome> {
  const recorded = await markDispatchFailed(deps.dataverse, bookingId);
  deps.log('error', `${reason}. Not retried: fix the data, then change the booking to send it again.`, { bookingId, status: status ?? 0, dispatchStatus: 'Failed' });
  return { result: 'PermanentFailure', bookingId, reason, status, recorded };
}

/**
 * Dispatch Status Failed, update-only (If-Match: *): true when recorded, false when the booking is gone; any other
 * failure is a BookingDispatchError (step record-dispatch). Also used by the poison handler.
 */
export async function markDispatchFailed(dataverse: DataverseClient, bookingId: string): Promise<boolean> {
  try {
    await dataverse.update(BOOKINGS, bookingId, { [C.pfb_dispatchstatus.logicalName]: DispatchStatus.Failed });
    return true;
  } catch (e) {
    if (e instanceof DataverseRequestError && (e.status === 404 || e.status === 412)) return false;
    throw new BookingDispatchError(bookingId, 'record-dispatch', e);
  }
}
