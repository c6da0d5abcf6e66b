/**
 * Simulated technicians: they pick up every ticket the bridge dispatches to the mobility simulator and work it —
 * Acknowledged, Travel, Onsite, In Progress, then Complete (or Incomplete, at a configurable rate, with a reason and
 * the hours left) — on an accelerated clock, and their app delivers the stage events to the bridge's inbound endpoint
 * as a real app does: an outbox flushed every so often into one delivery, signed with Standard Webhooks, retried with
 * the same webhook-id on 5xx or a network failure.
 *
 * Event times are the ticket's own day (its window), not the wall clock: a booking on 5 April is worked on 5 April,
 * and at `minutesPerSecond` = 480 a working day goes by in about a minute. Faults make the app misbehave the way
 * offline phones do: duplicated events, reordered outboxes, events held back and delivered late, and whole deliveries
 * replayed with their webhook-id.
 */
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { seededRandom } from '../random';
import type { StoredTicket } from './ticketContract';

export type Stage = 'Acknowledged' | 'Travel' | 'Onsite' | 'InProgress' | 'Complete' | 'Incomplete';

export interface StageEvent {
  readonly eventId: string;
  readonly bookingId: string;
  readonly stage: Stage;
  readonly occurredAt: string;
  readonly sequence: number;
  readonly reason?: string;
  readonly remainingEffortHours?: number;
}

export interface TechnicianFaults {
  /** Share of events sent twice (0–1). */
  readonly duplicate?: number;
  /** Share of deliveries whose events are shuffled. */
  readonly reorder?: number;
  /** Share of events held back for a few flushes and delivered late. */
  readonly late?: number;
  /** Share of deliveries sent again afterwards with the same webhook-id and body. */
  readonly replay?: number;
}

export interface TechniciansOptions {
  /** Where the app posts: the bridge's `…/api/mobility/events`. */
  readonly eventsUrl: string;
  /** The shared Standard Webhooks secret (`whsec_…`). */
  readonly signingSecret: string;
  /** Simulated minutes per real second; 480 plays an 8-hour day in a minute. */
  readonly minutesPerSecond?: number;
  /** Share of visits that end Incomplete (0–1). */
  readonly incompleteRate?: number;
  readonly faults?: TechnicianFaults;
  /** How often the app's outbox is delivered (real ms). */
  readonly flushMs?: number;
  /** How often new tickets are looked for (real ms). */
  readonly pollMs?: number;
  /** Seeded randomness for reproducible days. */
  readonly seed?: number;
  /** Only tickets this returns true for are worked (default all). */
  readonly accept?: (ticket: StoredTicket) => boolean;
  readonly fetch?: typeof fetch;
}

export interface TechnicianStats {
  ticketsWorked: number;
  eventsPlayed: number;
  deliveries: number;
  accepted: number;
  replaysRefused: number;
  refused: number;
  retries: number;
  lastError: string | null;
}

export interface TicketSource {
  tickets(): StoredTicket[];
}

const REASONS = ['Tower access road flooded', 'Customer not on site', 'Parts missing: SFP modules', 'Unsafe wind speed for climbing', 'Power not isolated by the utility'];

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A technician's day on one ticket: times in the ticket's window, durations drawn around the planned effort. */
export function planDay(ticket: StoredTicket, rnd: () => number, incompleteRate: number): StageEvent[] {
  const start = Date.parse(ticket.window.start);
  const minute = 60_000;
  const travel = 15 + Math.floor(rnd() * 45);
  const setup = 5 + Math.floor(rnd() * 15);
  const workMinutes = Math.max(15, Math.round(ticket.plannedEffortHours * 60 * (0.7 + rnd() * 0.6)));
  const incomplete = rnd() < incompleteRate;
  const acknowledged = start - (30 + Math.floor(rnd() * 90)) * minute;
  const travelAt = start - travel * minute;
  const onsiteAt = start;
  const inProgressAt = onsiteAt + setup * minute;
  const worked = incomplete ? Math.round(workMinutes * (0.3 + rnd() * 0.4)) : workMinutes;
  const endAt = inProgressAt + worked * minute;
  const base = { bookingId: ticket.ticketId };
  const events: StageEvent[] = [
    { ...base, eventId: randomUUID(), stage: 'Acknowledged', occurredAt: iso(acknowledged), sequence: 0 },
    { ...base, eventId: randomUUID(), stage: 'Travel', occurredAt: iso(travelAt), sequence: 1 },
    { ...base, eventId: randomUUID(), stage: 'Onsite', occurredAt: iso(onsiteAt), sequence: 2 },
    { ...base, eventId: randomUUID(), stage: 'InProgress', occurredAt: iso(inProgressAt), sequence: 3 },
  ];
  if (incomplete) {
    const left = Math.max(0.5, Math.round(((workMinutes - worked) / 60) * 2) / 2);
    events.push({ ...base, eventId: randomUUID(), stage: 'Incomplete', occurredAt: iso(endAt), sequence: 4, reason: REASONS[Math.floor(rnd() * REASONS.length)] as string, remainingEffortHours: left });
  } else {
    events.push({ ...base, eventId: randomUUID(), stage: 'Complete', occurredAt: iso(endAt), sequence: 4 });
  }
  return events;
}

interface Delivery {
  readonly id: string;
  readonly body: string;
  attempts: number;
}

export class SimulatedTechnicians {
  readonly stats: TechnicianStats = { ticketsWorked: 0, eventsPlayed: 0, deliveries: 0, accepted: 0, replaysRefused: 0, refused: 0, retries: 0, lastError: null };
  private readonly rnd: () => number;
  private readonly key: Webhook;
  private readonly seen = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private outbox: StageEvent[] = [];
  private held: Array<{ event: StageEvent; flushesLeft: number }> = [];
  private readonly unsent: Delivery[] = [];
  private readonly sentForReplay: Delivery[] = [];
  private poller: NodeJS.Timeout | undefined;
  private flusher: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly source: TicketSource,
    private readonly options: TechniciansOptions,
  ) {
    this.rnd = seededRandom(options.seed ?? 20261123);
    this.key = new Webhook(options.signingSecret);
  }

  start(): this {
    this.poller = setInterval(() => this.pickUp(), this.options.pollMs ?? 250);
    this.flusher = setInterval(() => void this.flush(), this.options.flushMs ?? 1000);
    return this;
  }

  /** Works one ticket now (also what the poller does for every new Scheduled ticket). */
  work(ticket: StoredTicket): void {
    if (this.seen.has(ticket.ticketId) || ticket.status !== 'Scheduled') return;
    this.seen.add(ticket.ticketId);
    this.stats.ticketsWorked += 1;
    const day = planDay(ticket, this.rnd, this.options.incompleteRate ?? 0.1);
    const speed = this.options.minutesPerSecond ?? 480;
    const first = Date.parse(day[0]?.occurredAt as string);
    for (const event of day) {
      const realMs = ((Date.parse(event.occurredAt) - first) / 60_000 / speed) * 1000;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.play(event);
      }, realMs);
      this.timers.add(timer);
    }
  }

  /** Sends everything queued now and waits for it (tests). */
  async drain(): Promise<void> {
    for (const h of this.held) this.outbox.push(h.event);
    this.held = [];
    await this.flush();
    await this.sending;
  }

  /** Tickets still being played (events not yet due). */
  get busy(): number {
    return this.timers.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    if (this.flusher) clearInterval(this.flusher);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.sending;
  }

  private pickUp(): void {
    for (const ticket of this.source.tickets()) {
      if (this.seen.has(ticket.ticketId) || ticket.status !== 'Scheduled') continue;
      if (this.options.accept && !this.options.accept(ticket)) continue;
      this.work(ticket);
    }
  }

  private play(event: StageEvent): void {
    const faults = this.options.faults ?? {};
    this.stats.eventsPlayed += 1;
    if ((faults.late ?? 0) > this.rnd()) this.held.push({ event, flushesLeft: 2 + Math.floor(this.rnd() * 4) });
    else this.outbox.push(event);
    if ((faults.duplicate ?? 0) > this.rnd()) this.outbox.push(event);
  }

  private flush(): Promise<void> {
    if (this.stopped && this.outbox.length === 0 && this.unsent.length === 0) return Promise.resolve();
    const faults = this.options.faults ?? {};
    this.held = this.held.filter((h) => {
      h.flushesLeft -= 1;
      if (h.flushesLeft > 0) return true;
      this.outbox.push(h.event);
      return false;
    });
    while (this.outbox.length > 0) {
      let events = this.outbox.splice(0, 100);
      if ((faults.reorder ?? 0) > this.rnd()) events = [...events].sort(() => this.rnd() - 0.5);
      this.unsent.push({ id: `msg_${randomUUID()}`, body: JSON.stringify(events), attempts: 0 });
    }
    if ((faults.replay ?? 0) > this.rnd() && this.sentForReplay.length > 0) {
      const old = this.sentForReplay[Math.floor(this.rnd() * this.sentForReplay.length)] as Delivery;
      this.unsent.push({ id: old.id, body: old.body, attempts: 0 });
    }
    this.sending ??= this.sendAll().finally(() => {
      this.sending = undefined;
    });
    return this.sending;
  }

  private async sendAll(): Promise<void> {
    const post = this.options.fetch ?? fetch;
    while (this.unsent.length > 0) {
      const d = this.unsent[0] as Delivery;
      const now = new Date();
      d.attempts += 1;
      this.stats.deliveries += 1;
      try {
        const res = await post(this.options.eventsUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'webhook-id': d.id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': this.key.sign(d.id, now, d.body) },
          body: d.body,
        });
        await res.arrayBuffer();
        if (res.status >= 500 || res.status === 429) {
          this.stats.retries += 1;
          this.stats.lastError = `HTTP ${res.status}`;
          return; // the next flush tries again, same webhook-id
        }
        this.unsent.shift();
        if (res.status === 202) {
          this.stats.accepted += 1;
          if (this.sentForReplay.length < 50) this.sentForReplay.push(d);
        } else if (res.status === 409) this.stats.replaysRefused += 1;
        else {
          this.stats.refused += 1;
          this.stats.lastError = `HTTP ${res.status}`;
        }
      } catch (e) {
        this.stats.retries += 1;
        this.stats.lastError = (e as Error).message;
        return;
      }
    }
  }
}
