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
 *
 * A ticket can also be moved by hand (the app shell's technician page): `driveByHand` takes it away from the automatic
 * technicians — before it is dispatched, or midway, when the stages not yet played are dropped — and `report` signs
 * and delivers one stage event for it at once, with the ticket's next sequence. The signing secret stays here, on the
 * server; the page only says which stage, when, and why (Incomplete).
 */
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { seededRandom } from '../random';
import type { StoredTicket } from './ticketContract';

export type Stage = 'Acknowledged' | 'Travel' | 'Onsite' | 'InProgress' | 'Complete' | 'Incomplete';

/** The stages in the order a visit goes through them; Complete and Incomplete both end it. */
export const STAGES: readonly Stage[] = ['Acknowledged', 'Travel', 'Onsite', 'InProgress', 'Complete', 'Incomplete'];
const rank = (stage: Stage): number => Math.min(STAGES.indexOf(stage), 4);
export const isStage = (value: unknown): value is Stage => typeof value === 'string' && (STAGES as readonly string[]).includes(value);

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

export interface HandReportOptions {
  /** When the stage happened: ISO 8601 with an offset (the site's, or Z). Default: now. */
  readonly occurredAt?: string;
  /** Incomplete only, and required there: why the work could not be finished. */
  readonly reason?: string;
  /** Incomplete only: the hours of work left. */
  readonly remainingEffortHours?: number;
}

/** What became of one hand-reported event. */
export interface HandReport {
  readonly event: StageEvent;
  /** The bridge took it (202): the booking, its work order, task and project follow. */
  readonly delivered: boolean;
  /** The bridge's HTTP status (0 when it did not answer). */
  readonly status: number;
  /** The bridge's problem detail, or the network error, when not delivered. */
  readonly detail: string | null;
}

/** A hand report that cannot be sent: which ticket, and why (`status` is the HTTP status a route answers with). */
export class HandReportError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'HandReportError';
  }
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

/** The `detail` of an RFC 9457 problem body, else the text itself (shortened). */
function problemDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { detail?: unknown; title?: unknown };
    if (typeof body.detail === 'string') return body.detail;
    if (typeof body.title === 'string') return body.title;
  } catch {
    // not JSON: the text says it
  }
  return text.slice(0, 500);
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
  /** Pending timers per ticket, so a ticket taken over by hand stops playing. */
  private readonly ticketTimers = new Map<string, Set<NodeJS.Timeout>>();
  /** Every event played per ticket (automatic or by hand), in the order played. */
  private readonly played = new Map<string, StageEvent[]>();
  private readonly byHand = new Set<string>();
  /** Hand reports one after another, so two quick clicks never share a sequence. */
  private handChain: Promise<unknown> = Promise.resolve();
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
    if (this.seen.has(ticket.ticketId) || this.byHand.has(ticket.ticketId.toLowerCase()) || ticket.status !== 'Scheduled') return;
    this.seen.add(ticket.ticketId);
    this.stats.ticketsWorked += 1;
    const day = planDay(ticket, this.rnd, this.options.incompleteRate ?? 0.1);
    const speed = this.options.minutesPerSecond ?? 480;
    const first = Date.parse(day[0]?.occurredAt as string);
    const mine = new Set<NodeJS.Timeout>();
    this.ticketTimers.set(ticket.ticketId.toLowerCase(), mine);
    for (const event of day) {
      const realMs = ((Date.parse(event.occurredAt) - first) / 60_000 / speed) * 1000;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        mine.delete(timer);
        this.play(event);
      }, realMs);
      this.timers.add(timer);
      mine.add(timer);
    }
  }

  /**
   * The ticket is moved by hand from now on: the automatic technicians never pick it up, and stop playing it if they
   * had started (what they already played stays played). Works before the ticket is dispatched, too.
   */
  driveByHand(ticketId: string): void {
    const id = ticketId.toLowerCase();
    this.byHand.add(id);
    for (const timer of this.ticketTimers.get(id) ?? []) {
      clearTimeout(timer);
      this.timers.delete(timer);
    }
    this.ticketTimers.delete(id);
  }

  isDrivenByHand(ticketId: string): boolean {
    return this.byHand.has(ticketId.toLowerCase());
  }

  /** The events played for a ticket so far (automatic or by hand), oldest first. */
  eventsOf(ticketId: string): readonly StageEvent[] {
    return [...(this.played.get(ticketId.toLowerCase()) ?? [])];
  }

  /**
   * Reports one stage of a ticket by hand: marks the ticket hand-driven, then signs and delivers one event at once
   * with the ticket's next sequence. A stage never moves backwards on a device, so a stage that is not after the
   * ticket's current one is refused (HandReportError 409), as are an unknown or cancelled ticket (404, 409) and an
   * Incomplete without a reason (400). An event the bridge does not take (`delivered` false) is not counted as
   * played: sending the stage again is safe.
   */
  report(ticketId: string, stage: Stage, options: HandReportOptions = {}): Promise<HandReport> {
    const next = this.handChain.then(() => this.reportNow(ticketId.toLowerCase(), stage, options));
    this.handChain = next.catch(() => undefined);
    return next;
  }

  private async reportNow(ticketId: string, stage: Stage, options: HandReportOptions): Promise<HandReport> {
    if (!isStage(stage)) throw new HandReportError(400, `'${String(stage)}' is not a stage; send one of ${STAGES.join(', ')}.`);
    const ticket = this.source.tickets().find((t) => t.ticketId.toLowerCase() === ticketId);
    if (!ticket) throw new HandReportError(404, `No ticket ${ticketId} in the mobility app: the bridge has not dispatched that booking (yet).`);
    if (ticket.status !== 'Scheduled') throw new HandReportError(409, `Ticket ${ticketId} is ${ticket.status}: there is nothing left to work.`);
    const occurredAt = options.occurredAt ?? iso(Date.now());
    if (Number.isNaN(Date.parse(occurredAt)) || !/(Z|[+-]\d{2}:\d{2})$/.test(occurredAt)) {
      throw new HandReportError(400, `occurredAt '${occurredAt}' is not an ISO 8601 time with an offset, such as 2027-04-06T09:30:00+10:00.`);
    }
    const incomplete = stage === 'Incomplete';
    const reason = options.reason?.trim();
    if (incomplete && !reason) throw new HandReportError(400, 'Incomplete needs a reason: say why the work could not be finished.');
    const remaining = options.remainingEffortHours;
    if (remaining !== undefined && (!incomplete || !Number.isFinite(remaining) || remaining < 0)) {
      throw new HandReportError(400, incomplete ? `remainingEffortHours ${remaining} must be 0 or more hours.` : 'remainingEffortHours is only for Incomplete.');
    }

    this.driveByHand(ticketId);
    const soFar = this.played.get(ticketId) ?? [];
    const current = soFar.reduce<Stage | null>((top, e) => (top === null || rank(e.stage) > rank(top) ? e.stage : top), null);
    if (current !== null && rank(stage) <= rank(current)) {
      throw new HandReportError(409, rank(current) === 4 ? `Ticket ${ticketId} has ended (${current}).` : `Ticket ${ticketId} is at ${current} already: report a later stage.`);
    }
    const event: StageEvent = {
      eventId: randomUUID(),
      bookingId: ticket.ticketId,
      stage,
      occurredAt,
      sequence: soFar.reduce((n, e) => Math.max(n, e.sequence + 1), 0),
      ...(incomplete ? { reason } : {}),
      ...(incomplete && remaining !== undefined ? { remainingEffortHours: remaining } : {}),
    };
    const delivery: Delivery = { id: `msg_${randomUUID()}`, body: JSON.stringify([event]), attempts: 1 };
    this.stats.deliveries += 1;
    try {
      const res = await this.post(delivery);
      const text = await res.text();
      if (res.status === 202) {
        this.stats.accepted += 1;
        this.stats.eventsPlayed += 1;
        this.remember(event);
        return { event, delivered: true, status: res.status, detail: null };
      }
      this.stats.refused += 1;
      this.stats.lastError = `HTTP ${res.status}`;
      return { event, delivered: false, status: res.status, detail: problemDetail(text) };
    } catch (e) {
      this.stats.lastError = (e as Error).message;
      return { event, delivered: false, status: 0, detail: `The bridge did not answer: ${(e as Error).message}` };
    }
  }

  private remember(event: StageEvent): void {
    const id = event.bookingId.toLowerCase();
    const list = this.played.get(id) ?? [];
    list.push(event);
    this.played.set(id, list);
  }

  private post(d: Delivery): Promise<Response> {
    const now = new Date();
    return (this.options.fetch ?? fetch)(this.options.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': d.id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': this.key.sign(d.id, now, d.body) },
      body: d.body,
    });
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
    this.ticketTimers.clear();
    await this.sending;
    await this.handChain;
  }

  private pickUp(): void {
    for (const ticket of this.source.tickets()) {
      if (this.seen.has(ticket.ticketId) || this.byHand.has(ticket.ticketId.toLowerCase()) || ticket.status !== 'Scheduled') continue;
      if (this.options.accept && !this.options.accept(ticket)) continue;
      this.work(ticket);
    }
  }

  private play(event: StageEvent): void {
    const faults = this.options.faults ?? {};
    this.stats.eventsPlayed += 1;
    this.remember(event);
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
    while (this.unsent.length > 0) {
      const d = this.unsent[0] as Delivery;
      d.attempts += 1;
      this.stats.deliveries += 1;
      try {
        const res = await this.post(d);
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
