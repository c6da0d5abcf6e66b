/** What a booking contributes to its work order: its phase, actual dates and effort (DESIGN §4 "Roll-ups"). */
import type { BookingState } from '../lifecycle/bookingLifecycle';

/**
 * Scheduled: no events yet, or only Acknowledged. Active: Travel, Onsite or In Progress (Field Service: Traveling or
 * In Progress). Complete / Incomplete: how it ended.
 */
export type BookingPhase = 'Scheduled' | 'Active' | 'Complete' | 'Incomplete';

export interface BookingRollup {
  readonly phase: BookingPhase;
  readonly actualStart: string | null;
  readonly actualEnd: string | null;
  /** Whole seconds of in-progress time (0 until the booking has ended with a start). */
  readonly effortSeconds: number;
  readonly lastEventAt: string | null;
}

export const SCHEDULED_BOOKING: BookingRollup = { phase: 'Scheduled', actualStart: null, actualEnd: null, effortSeconds: 0, lastEventAt: null };

/** A booking's contribution; `undefined` is a booking with no field events yet (still Scheduled). */
export function bookingRollup(state: BookingState | undefined): BookingRollup {
  if (!state) return SCHEDULED_BOOKING;
  const phase: BookingPhase =
    state.terminal?.stage === 'Complete' ? 'Complete' : state.terminal?.stage === 'Incomplete' ? 'Incomplete' : state.stage === 'Acknowledged' ? 'Scheduled' : 'Active';
  return {
    phase,
    actualStart: state.actualStart,
    actualEnd: state.actualEnd,
    // actualEffortHours is whole seconds / 3600; rounding recovers the integer exactly.
    effortSeconds: state.actualEffortHours === null ? 0 : Math.round(state.actualEffortHours * 3600),
    lastEventAt: state.lastEventAt,
  };
}

export function sameBookingRollup(a: BookingRollup | null, b: BookingRollup | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.phase === b.phase && a.actualStart === b.actualStart && a.actualEnd === b.actualEnd && a.effortSeconds === b.effortSeconds && a.lastEventAt === b.lastEventAt;
}
