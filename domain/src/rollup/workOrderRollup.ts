/**
 * Bookings → work order (DESIGN §4): actual start = earliest booking start; actual effort = Σ booking effort;
 * completed when its bookings are Complete. Kept as counts, sums and counted extremes so one booking's change is O(1).
 *
 * Completed = at least one Complete booking and none still open (Scheduled or Active). An Incomplete booking is a
 * finished visit that does not complete the work order — exactly Field Service's reading of a Completed booking status
 * with msdyn_statuscompletesworkorder = false, which is how Incomplete is mapped (mapping/bookingStatus.ts). So a
 * work order whose Incomplete visit was rebooked and then done is Completed; with no other booking it is Incomplete.
 * When no booking is Incomplete this is "all its bookings are Complete".
 */
import type { BookingPhase, BookingRollup } from './bookingRollup';
import { NO_EXTREME, type Extreme } from './extreme';
import { moveExtreme } from './rescan';
import { secondsFromHours } from './units';

export interface WorkOrderAggregate {
  /** pfb_plannedeffort of the work order, in seconds. */
  readonly plannedSeconds: number;
  readonly scheduled: number;
  readonly active: number;
  readonly complete: number;
  readonly incomplete: number;
  readonly effortSeconds: number;
  readonly start: Extreme;
  readonly end: Extreme;
  readonly lastEvent: Extreme;
}

export type WorkOrderPhase = 'NotStarted' | 'InProgress' | 'Completed' | 'Incomplete';

/** What a work order contributes to its task. */
export interface WorkOrderRollup {
  readonly plannedSeconds: number;
  readonly phase: WorkOrderPhase;
  readonly effortSeconds: number;
  readonly actualStart: string | null;
  /** Latest booking end, once the work order has finished (Completed or Incomplete); else null. */
  readonly actualEnd: string | null;
  readonly lastEventAt: string | null;
}

export function emptyWorkOrder(plannedEffortHours: number): WorkOrderAggregate {
  return {
    plannedSeconds: secondsFromHours(plannedEffortHours, 'A work order planned effort'),
    scheduled: 0,
    active: 0,
    complete: 0,
    incomplete: 0,
    effortSeconds: 0,
    start: NO_EXTREME,
    end: NO_EXTREME,
    lastEvent: NO_EXTREME,
  };
}

export function withPlannedEffort(wo: WorkOrderAggregate, plannedEffortHours: number): WorkOrderAggregate {
  return { ...wo, plannedSeconds: secondsFromHours(plannedEffortHours, 'A work order planned effort') };
}

const PHASE_KEY: Readonly<Record<BookingPhase, 'scheduled' | 'active' | 'complete' | 'incomplete'>> = {
  Scheduled: 'scheduled',
  Active: 'active',
  Complete: 'complete',
  Incomplete: 'incomplete',
};

/**
 * Replaces one booking's contribution (`null` before: a new booking; `null` after: a removed or canceled one).
 * `bookings` lists the work order's bookings after the change; it is read only in the rare case described in
 * extreme.ts, and without it that case throws RescanRequiredError.
 */
export function applyBookingChange(
  wo: WorkOrderAggregate,
  before: BookingRollup | null,
  after: BookingRollup | null,
  bookings?: () => Iterable<BookingRollup>,
): WorkOrderAggregate {
  if (before === after) return wo;
  const counts = { scheduled: wo.scheduled, active: wo.active, complete: wo.complete, incomplete: wo.incomplete };
  if (before) counts[PHASE_KEY[before.phase]] -= 1;
  if (after) counts[PHASE_KEY[after.phase]] += 1;
  return {
    plannedSeconds: wo.plannedSeconds,
    ...counts,
    effortSeconds: wo.effortSeconds - (before?.effortSeconds ?? 0) + (after?.effortSeconds ?? 0),
    start: moveExtreme(wo.start, before?.actualStart ?? null, after?.actualStart ?? null, 'min', bookings, (b) => b.actualStart, 'work order actual start'),
    end: moveExtreme(wo.end, before?.actualEnd ?? null, after?.actualEnd ?? null, 'max', bookings, (b) => b.actualEnd, 'work order actual end'),
    lastEvent: moveExtreme(wo.lastEvent, before?.lastEventAt ?? null, after?.lastEventAt ?? null, 'max', bookings, (b) => b.lastEventAt, 'work order last event'),
  };
}

/** The aggregate from scratch (after a restart, or to check the incremental one). */
export function recomputeWorkOrder(plannedEffortHours: number, bookings: Iterable<BookingRollup>): WorkOrderAggregate {
  let wo = emptyWorkOrder(plannedEffortHours);
  for (const b of bookings) wo = applyBookingChange(wo, null, b);
  return wo;
}

export function workOrderPhase(wo: WorkOrderAggregate): WorkOrderPhase {
  const open = wo.scheduled + wo.active;
  if (open === 0 && wo.complete > 0) return 'Completed';
  if (open === 0 && wo.incomplete > 0) return 'Incomplete';
  if (wo.active + wo.complete + wo.incomplete > 0) return 'InProgress';
  return 'NotStarted';
}

export function workOrderRollup(wo: WorkOrderAggregate): WorkOrderRollup {
  const phase = workOrderPhase(wo);
  return {
    plannedSeconds: wo.plannedSeconds,
    phase,
    effortSeconds: wo.effortSeconds,
    actualStart: wo.start.value,
    actualEnd: phase === 'Completed' || phase === 'Incomplete' ? wo.end.value : null,
    lastEventAt: wo.lastEvent.value,
  };
}

export function sameWorkOrderRollup(a: WorkOrderRollup | null, b: WorkOrderRollup | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.plannedSeconds === b.plannedSeconds &&
    a.phase === b.phase &&
    a.effortSeconds === b.effortSeconds &&
    a.actualStart === b.actualStart &&
    a.actualEnd === b.actualEnd &&
    a.lastEventAt === b.lastEventAt
  );
}
