/**
 * The ticket the mobility app receives for one booking (vendor-neutral wire shape, functions-bridge/contracts/
 * mobility-api.yaml). The ticket id is the booking id, so every retry and every later change of the booking lands
 * on the same ticket.
 */
import { z } from 'zod';

export const TICKET_STATUSES = ['Scheduled', 'Cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketAddress {
  readonly line1?: string;
  readonly city?: string;
  readonly stateOrProvince?: string;
  readonly postalCode?: string;
  readonly country?: string;
}

export interface Ticket {
  /** The bookableresourcebooking id. */
  readonly ticketId: string;
  /** The work order's pfb_sourcekey (`<taskId>:<slot>`). */
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
    /** IANA time zone of the site, e.g. Australia/Sydney. */
    readonly timeZone?: string | null;
  };
  /** ISO 8601 UTC instants. */
  readonly window: { readonly start: string; readonly end: string };
  readonly plannedEffortHours: number;
  readonly status: TicketStatus;
}

/** What the app answers to an upsert or a cancel: the ticket's reference in the app and its version there. */
export const ticketReceiptSchema = z.object({
  ticketId: z.string(),
  mobilityRef: z.string().min(1),
  version: z.number().int(),
  status: z.string(),
});
export type TicketReceipt = z.infer<typeof ticketReceiptSchema>;
