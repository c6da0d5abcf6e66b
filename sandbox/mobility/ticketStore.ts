/**
 * The app's tickets, in memory. An upsert creates version 1 or, when the content changed, the next version; an
 * upsert identical to the stored ticket changes nothing (200, same version). A cancel sets status Cancelled with its
 * reason once; cancelling a cancelled ticket changes nothing.
 */
import { canonicalJson } from './canonicalJson';
import type { StoredTicket, Ticket, TicketReceipt } from './ticketContract';

export interface WriteResult {
  /** 201 created, 200 updated or unchanged. */
  readonly status: 200 | 201;
  readonly receipt: TicketReceipt;
  readonly changed: boolean;
}

function ticketPart(stored: StoredTicket): Ticket {
  const { mobilityRef: _ref, version: _version, createdAt: _created, updatedAt: _updated, cancellationReason: _reason, ...ticket } = stored;
  return ticket;
}

function receiptOf(t: StoredTicket): TicketReceipt {
  return { ticketId: t.ticketId, mobilityRef: t.mobilityRef, version: t.version, status: t.status };
}

export class TicketStore {
  private readonly tickets = new Map<string, StoredTicket>();
  private refs = 0;

  /** Ticket ids are GUIDs; the app treats them case-insensitively. */
  private static keyOf(ticketId: string): string {
    return ticketId.toLowerCase();
  }

  upsert(ticket: Ticket, now: Date): WriteResult {
    const key = TicketStore.keyOf(ticket.ticketId);
    const current = this.tickets.get(key);
    const at = now.toISOString();
    if (!current) {
      this.refs += 1;
      const created: StoredTicket = { ...ticket, mobilityRef: `MOB-${String(this.refs).padStart(6, '0')}`, version: 1, createdAt: at, updatedAt: at, cancellationReason: null };
      this.tickets.set(key, created);
      return { status: 201, receipt: receiptOf(created), changed: true };
    }
    if (canonicalJson(ticketPart(current)) === canonicalJson(ticket)) return { status: 200, receipt: receiptOf(current), changed: false };
    const updated: StoredTicket = {
      ...ticket,
      mobilityRef: current.mobilityRef,
      version: current.version + 1,
      createdAt: current.createdAt,
      updatedAt: at,
      cancellationReason: ticket.status === 'Cancelled' ? current.cancellationReason : null,
    };
    this.tickets.set(key, updated);
    return { status: 200, receipt: receiptOf(updated), changed: true };
  }

  /** undefined when the app has no such ticket. */
  cancel(ticketId: string, reason: string, now: Date): WriteResult | undefined {
    const key = TicketStore.keyOf(ticketId);
    const current = this.tickets.get(key);
    if (!current) return undefined;
    if (current.status === 'Cancelled') return { status: 200, receipt: receiptOf(current), changed: false };
    const cancelled: StoredTicket = { ...current, status: 'Cancelled', version: current.version + 1, updatedAt: now.toISOString(), cancellationReason: reason };
    this.tickets.set(key, cancelled);
    return { status: 200, receipt: receiptOf(cancelled), changed: true };
  }

  get(ticketId: string): StoredTicket | undefined {
    return this.tickets.get(TicketStore.keyOf(ticketId));
  }

  list(): StoredTicket[] {
    return [...this.tickets.values()];
  }

  clear(): void {
    this.tickets.clear();
  }
}
