/** booking-dispatch: booking → mobility ticket, the queue worker and its poison handler. */
export { dispatchBooking, idempotencyKeyOf, dispatchStepOf, markDispatchFailed, BookingDispatchError, BOOKING_DISPATCH_FILTERING_ATTRIBUTES, BOOKING_DISPATCH_WRITTEN_COLUMNS } from './dispatchBooking';
export type { DispatchDeps, DispatchLog, DispatchOutcome, DispatchStep } from './dispatchBooking';
export { createBookingDispatchWorker, BOOKING_DISPATCH_FAILURES } from './bookingDispatchWorker';
export type { BookingDispatchWorkerDeps, TrackException } from './bookingDispatchWorker';
export { bookingLabel, ticketFromBooking, isBookingCancelled } from './bookingTicket';
export type { TicketMapping } from './bookingTicket';
export { readBookingForDispatch, bookingSnapshotFromRow, BOOKING_SELECT, BOOKING_EXPAND } from './readBooking';
export type { AddressSnapshot, BookingSnapshot } from './readBooking';
