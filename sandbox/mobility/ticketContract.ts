/**
 * The ticket API's wire shapes as the mobility app (this simulator) sees them: functions-bridge/contracts/
 * mobility-api.yaml is the source; the simulator deliberately does not import the bridge's own types, so a drift
 * between the bridge and the contract shows up as a 400 here instead of being compiled away.
 */

export const TICKET_STATUSES = ['Scheduled', 'Cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketAddress {
  readonly line1?: string;
  readonly city?: string;
  readonly stateOrProvince?: string;
  readonly postalCode?: string;
  readonly country?: string;
}

/** `PUT /v1/tickets/{ticketId}` body. */
export interface Ticket {
  /** The booking id (GUID); equals the path's ticketId. */
  readonly ticketId: string;
  /** The work order's pfb_sourcekey. */
  readonly sourceKey: string;
  readonly workOrder: { readonly id: string; readonly number: string; readonly summary?: string; readonly instructions?: string };
  readonly project: { readonly id: string; readonly name: string };
  readonly task: { readonly id: string; readonly name: string };
  readonly technician: { readonly resourceId: string; readonly name: string; readonly email?: string | null; readonly mobilityUserId?: string | null };
  readonly site: {
    readonly accountId: string;
    readonly name: string;
    readonly address: TicketAddress;
    readonly latitude?: number | null;
    readonly longitude?: number | null;
    readonly timeZone?: string | null;
  };
  /** ISO 8601 UTC instants (`Z`), end not before start. */
  readonly window: { readonly start: string; readonly end: string };
  readonly plannedEffortHours: number;
  readonly status: TicketStatus;
}

/** The answer to an upsert or a cancel. */
export interface TicketReceipt {
  readonly ticketId: string;
  /** The app's own reference, stable for the ticket's life. */
  readonly mobilityRef: string;
  /** 1 on creation, +1 for each change (a repeat or a no-change upsert keeps it). */
  readonly version: number;
  readonly status: TicketStatus;
}

/** `GET /v1/tickets/{ticketId}`: the ticket as last written, with the app's bookkeeping. */
export interface StoredTicket extends Ticket {
  readonly mobilityRef: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Set by `POST …/cancel`; null otherwise (a ticket may also be cancelled by an upsert with status Cancelled). */
  readonly cancellationReason: string | null;
}

/** `POST /v1/tickets/{ticketId}/cancel` body. */
export interface CancelRequest {
  readonly reason: string;
}
