/**
 * What the bridge needs from a mobility app. The HTTPS adapter speaks our vendor-neutral ticket API; another vendor
 * plugs in by implementing this interface. Every method either resolves or throws a MobilityError, whose
 * `retryable` tells the queue worker whether to let the queue retry (throw) or record a permanent failure.
 */
import type { Ticket } from './ticket';

export interface TicketVersion {
  /** The app's own reference for the ticket (stored on the booking as pfb_mobilityref). */
  readonly mobilityRef: string;
  /** The ticket's version in the app: a replayed idempotency key answers the version it created. */
  readonly version: number;
}

export interface CancelResult {
  /** False when the app never had the ticket (404): nothing to cancel, which is as good as cancelled. */
  readonly found: boolean;
  readonly mobilityRef: string | null;
  readonly version: number | null;
}

export interface HealthResult {
  readonly ok: boolean;
  /** One line for logs and a health endpoint; never certificate material. */
  readonly detail: string;
}

export interface MobilityAdapter {
  /** Creates or replaces the ticket. The same idempotency key never creates a second version. */
  upsertTicket(ticket: Ticket, idempotencyKey: string): Promise<TicketVersion>;
  cancelTicket(ticketId: string, reason: string, idempotencyKey: string): Promise<CancelResult>;
  /** Never throws: a failure is `{ ok: false }` with the reason. */
  health(): Promise<HealthResult>;
  /** Releases connections (tests, shutdown). */
  close?(): Promise<void>;
}
