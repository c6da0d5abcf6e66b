/**
 * Booking → mobility ticket: pure, no I/O.
 *
 * - Only bookings of work orders the bridge created are dispatched: the work order must carry a source key, project
 *   and project task (Field Service's own work orders go to Field Service's mobile app, not ours) — others are skipped.
 * - Cancelled = the booking status's `status` is Canceled or its Field Service status is Canceled.
 * - Window = the booking's start and end (when the technician is booked), not the work order's promised window.
 * - Planned effort = the work order's `pfb_plannedeffort` (one work order per resource slot and day, DESIGN §4), else
 *   the booking's duration.
 * - Site = the service account; its address is the work order's own address when it has one (Field Service copies
 *   the service account's address there and a dispatcher may correct it for the job), else the account's.
 *   Time zone = the project's site time zone (`pfb_timezone`).
 */
import { BookingStatusStatus, BookingSystemStatus } from '@pfb/domain';
import type { Ticket, TicketAddress } from '../mobility';
import type { AddressSnapshot, BookingSnapshot } from './readBooking';

export type TicketMapping =
  | { readonly ok: true; readonly ticket: Ticket }
  /** `skip`: not ours to dispatch; `invalid`: ours, but the data cannot make a ticket (a person must fix it). */
  | { readonly ok: false; readonly kind: 'skip' | 'invalid'; readonly reason: string };

export function isBookingCancelled(booking: BookingSnapshot): boolean {
  return booking.status?.status === BookingStatusStatus.Canceled || booking.status?.fieldServiceStatus === BookingSystemStatus.Canceled;
}

/** How a booking is named in reasons and logs: “name” (id). */
export const bookingLabel = (booking: BookingSnapshot): string => (booking.name ? `Booking “${booking.name}” (${booking.id})` : `Booking ${booking.id}`);

function hasAddress(a: AddressSnapshot): boolean {
  return Boolean(a.line1 || a.city || a.postalCode);
}

function ticketAddress(a: AddressSnapshot): TicketAddress {
  const out: { -readonly [K in keyof TicketAddress]: TicketAddress[K] } = {};
  if (a.line1) out.line1 = a.line1;
  if (a.city) out.city = a.city;
  if (a.stateOrProvince) out.stateOrProvince = a.stateOrProvince;
  if (a.postalCode) out.postalCode = a.postalCode;
  if (a.country) out.country = a.country;
  return out;
}

function plannedEffortHours(booking: BookingSnapshot): number {
  const planned = booking.workOrder?.plannedEffortHours;
  if (planned !== null && planned !== undefined && planned > 0) return planned;
  const minutes = booking.durationMinutes ?? (Date.parse(booking.end) - Date.parse(booking.start)) / 60_000;
  return Math.round((minutes / 60) * 100) / 100;
}

export function ticketFromBooking(booking: BookingSnapshot): TicketMapping {
  const wo = booking.workOrder;
  if (!wo) return { ok: false, kind: 'skip', reason: `${bookingLabel(booking)} has no work order: only work-order bookings go to the mobility app` };
  if (!wo.sourceKey || !wo.project || !wo.task) {
    return { ok: false, kind: 'skip', reason: `${bookingLabel(booking)} is for work order ${wo.number ?? wo.id}, which the bridge did not create from a project task` };
  }
  const resource = booking.resource;
  if (!resource) return { ok: false, kind: 'invalid', reason: `${bookingLabel(booking)} has no resource — book it to a technician` };
  const site = wo.serviceAccount;
  if (!site) return { ok: false, kind: 'invalid', reason: `Work order ${wo.number ?? wo.id} of ${bookingLabel(booking)} has no service account — set Service Account on the work order` };
  if (!booking.start || !booking.end) return { ok: false, kind: 'invalid', reason: `${bookingLabel(booking)} has no start or end time` };

  const address = hasAddress(wo.address) ? wo.address : site.address;
  const located = wo.address.latitude !== null && wo.address.longitude !== null ? wo.address : site.address;
  const ticket: Ticket = {
    ticketId: booking.id,
    sourceKey: wo.sourceKey,
    workOrder: {
      id: wo.id,
      number: wo.number ?? wo.id,
      ...(wo.summary ? { summary: wo.summary } : {}),
      ...(wo.instructions ? { instructions: wo.instructions } : {}),
    },
    project: { id: wo.project.id, name: wo.project.name ?? '' },
    task: { id: wo.task.id, name: wo.task.name ?? '' },
    technician: { resourceId: resource.id, name: resource.name, email: resource.email, mobilityUserId: resource.mobilityUserId },
    site: {
      accountId: site.id,
      name: site.name ?? '',
      address: ticketAddress(address),
      latitude: located.latitude,
      longitude: located.longitude,
      timeZone: wo.project.timeZone,
    },
    window: { start: booking.start, end: booking.end },
    plannedEffortHours: plannedEffortHours(booking),
    status: isBookingCancelled(booking) ? 'Cancelled' : 'Scheduled',
  };
  return { ok: true, ticket };
}
