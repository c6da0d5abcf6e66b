/**
 * Field Service's rule from booking statuses to the work order's system status (msdyn_systemstatus), as a pure
 * function. Field Service docs, "Work order life cycle and statuses" (dataverse-facts §3):
 * - Scheduled → Scheduled; Traveling, In Progress, On Break → In Progress; Completed → Completed;
 * - canceled bookings do not count: with none left the work order reverts to Unscheduled, otherwise the rest decide;
 * - Posted is never set by a booking, and a Posted or Canceled work order's status no longer changes.
 * Where the docs are silent this takes the reading the local Dataverse also takes: a mix of finished and scheduled
 * bookings is In Progress. A Completed booking whose status has `msdyn_statuscompletesworkorder = false` (our
 * Incomplete) is a finished visit that does not complete the work order: with a completing booking beside it the work
 * order is Completed (the rebooked rest was done); on its own it leaves the work order In Progress (work remains).
 */
import { BookingSystemStatus, WorkOrderSystemStatus } from '../schema';

/** A booking's Field Service status, optionally with its status row's msdyn_statuscompletesworkorder (default true). */
export type BookingStatusInput = number | { readonly fieldServiceStatus: number; readonly completesWorkOrder?: boolean };

/** Live (not canceled) bookings of a work order by what they mean for its status. */
export interface BookingStatusCounts {
  readonly scheduled: number;
  /** Traveling, In Progress or On Break. */
  readonly active: number;
  /** Completed with a status that completes the work order. */
  readonly completing: number;
  /** Completed with a status that does not (msdyn_statuscompletesworkorder = false). */
  readonly nonCompleting: number;
}

const KNOWN: readonly number[] = Object.values(BookingSystemStatus);

export function countBookingStatuses(statuses: Iterable<BookingStatusInput>): BookingStatusCounts {
  let scheduled = 0;
  let active = 0;
  let completing = 0;
  let nonCompleting = 0;
  for (const input of statuses) {
    const status = typeof input === 'number' ? input : input.fieldServiceStatus;
    const completes = typeof input === 'number' ? true : input.completesWorkOrder !== false;
    switch (status) {
      case BookingSystemStatus.Scheduled:
        scheduled += 1;
        break;
      case BookingSystemStatus.Traveling:
      case BookingSystemStatus.InProgress:
      case BookingSystemStatus.OnBreak:
        active += 1;
        break;
      case BookingSystemStatus.Completed:
        if (completes) completing += 1;
        else nonCompleting += 1;
        break;
      case BookingSystemStatus.Canceled:
        break;
      default:
        throw new RangeError(`${status} is not a Field Service booking status (msdyn_bookingsystemstatus: ${KNOWN.join(', ')}).`);
    }
  }
  return { scheduled, active, completing, nonCompleting };
}

/** The work order system status the counts give; `current` is kept when it is Posted or Canceled. */
export function workOrderStatusFromCounts(counts: BookingStatusCounts, current: number): number {
  if (current === WorkOrderSystemStatus.Posted || current === WorkOrderSystemStatus.Canceled) return current;
  const finished = counts.completing + counts.nonCompleting;
  if (counts.scheduled + counts.active + finished === 0) return WorkOrderSystemStatus.Unscheduled;
  if (counts.active > 0) return WorkOrderSystemStatus.InProgress;
  if (counts.scheduled === 0) return counts.completing > 0 ? WorkOrderSystemStatus.Completed : WorkOrderSystemStatus.InProgress;
  return finished > 0 ? WorkOrderSystemStatus.InProgress : WorkOrderSystemStatus.Scheduled;
}

/** The work order system status implied by its bookings' Field Service statuses (canceled ones included or not). */
export function workOrderStatusFromBookingStatuses(statuses: readonly BookingStatusInput[], current: number): number {
  return workOrderStatusFromCounts(countBookingStatuses(statuses), current);
}
