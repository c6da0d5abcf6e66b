/**
 * fast-check generators for the property tests: a project with tasks, work orders and bookings, and for each booking
 * a valid stage progression with random times in several UTC offsets (plus resent events, terminal corrections and
 * ties), and deliveries of those events in any order with duplicates and replays. Test support only.
 */
import fc from 'fast-check';
import type { FieldEvent } from '../../lifecycle/fieldEvent';
import type { FieldStageName } from '../../lifecycle/fieldStage';
import type { ProgramShape } from '../rollupIndex';

const OFFSETS = [0, 11 * 60, 10 * 60, -5 * 60, 5 * 60 + 30, -(9 * 60 + 30)];
const BASE_EPOCH_MS = Date.UTC(2027, 2, 1, 0, 0, 0);

type TerminalPlan = 'none' | 'Complete' | 'Incomplete' | 'IncompleteThenComplete' | 'CompleteThenIncomplete' | 'BothSameSequence';

interface StreamPlan {
  readonly include: readonly boolean[];
  readonly terminal: TerminalPlan;
  readonly gapsMinutes: readonly number[];
  readonly offsets: readonly number[];
  readonly millis: readonly number[];
  readonly resend: { readonly which: number; readonly jitterMinutes: number } | null;
  readonly reason: string | null;
  readonly remaining: number | null;
  readonly startDay: number;
}

const streamPlan: fc.Arbitrary<StreamPlan> = fc.record({
  include: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  terminal: fc.constantFrom<TerminalPlan>('none', 'Complete', 'Complete', 'Incomplete', 'IncompleteThenComplete', 'CompleteThenIncomplete', 'BothSameSequence'),
  gapsMinutes: fc.array(fc.integer({ min: 0, max: 240 }), { minLength: 7, maxLength: 7 }),
  offsets: fc.array(fc.nat({ max: OFFSETS.length - 1 }), { minLength: 7, maxLength: 7 }),
  millis: fc.array(fc.constantFrom(0, 0, 0, 250, 999), { minLength: 7, maxLength: 7 }),
  resend: fc.option(fc.record({ which: fc.nat(), jitterMinutes: fc.integer({ min: -90, max: 90 }) }), { nil: null }),
  reason: fc.option(fc.constantFrom('No access to the site', 'Parts missing', 'Unsafe weather'), { nil: null }),
  remaining: fc.option(fc.integer({ min: 0, max: 32 }).map((q) => q / 4), { nil: null }),
  startDay: fc.integer({ min: 0, max: 20 }),
});

/** ISO 8601 in the given UTC offset, e.g. 2027-03-01T09:30:00.250+11:00. */
export function isoInOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60000).toISOString().slice(0, 23);
  const text = local.endsWith('.000') ? local.slice(0, 19) : local;
  if (offsetMinutes === 0) return `${text}Z`;
  const abs = Math.abs(offsetMinutes);
  return `${text}${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function bookingIdOf(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** A valid event stream for one booking, in its in-order delivery (by sequence). */
export function eventsFromPlan(bookingId: string, tag: string, plan: StreamPlan): FieldEvent[] {
  const stages: FieldStageName[] = (['Acknowledged', 'Travel', 'Onsite', 'InProgress'] as const).filter((_, i) => plan.include[i]);
  const terminals: { stage: FieldStageName; sameSequence: boolean }[] =
    plan.terminal === 'none'
      ? []
      : plan.terminal === 'IncompleteThenComplete'
        ? [{ stage: 'Incomplete', sameSequence: false }, { stage: 'Complete', sameSequence: false }]
        : plan.terminal === 'CompleteThenIncomplete'
          ? [{ stage: 'Complete', sameSequence: false }, { stage: 'Incomplete', sameSequence: false }]
          : plan.terminal === 'BothSameSequence'
            ? [{ stage: 'Complete', sameSequence: false }, { stage: 'Incomplete', sameSequence: true }]
            : [{ stage: plan.terminal, sameSequence: false }];
  const events: FieldEvent[] = [];
  let t = BASE_EPOCH_MS + plan.startDay * 86400000;
  let sequence = 0;
  const all = [...stages.map((stage) => ({ stage, sameSequence: false })), ...terminals];
  all.forEach(({ stage, sameSequence }, i) => {
    t += (plan.gapsMinutes[i] ?? 0) * 60000;
    if (!sameSequence) sequence += 1;
    const incomplete = stage === 'Incomplete';
    events.push({
      eventId: `${tag}e${i}`,
      bookingId,
      stage,
      occurredAt: isoInOffset(t + (plan.millis[i] ?? 0), OFFSETS[plan.offsets[i] ?? 0] ?? 0),
      sequence,
      ...(incomplete && plan.reason !== null ? { reason: plan.reason } : {}),
      ...(incomplete && plan.remaining !== null ? { remainingEffortHours: plan.remaining } : {}),
    });
  });
  if (plan.resend && events.length > 0) {
    // The app re-sent one stage under a new id with a different clock reading.
    const original = events[plan.resend.which % events.length] as FieldEvent;
    const at = Date.parse(original.occurredAt) + plan.resend.jitterMinutes * 60000;
    events.push({ ...original, eventId: `${original.eventId}r`, occurredAt: isoInOffset(at, OFFSETS[1] as number) });
  }
  return events;
}

export interface FieldProgram {
  readonly shape: ProgramShape;
  /** In-order delivery: each booking's events by sequence, once. */
  readonly events: readonly FieldEvent[];
}

const workOrderPlan = fc.record({
  plannedQuarterHours: fc.integer({ min: 0, max: 40 }),
  bookings: fc.array(streamPlan, { maxLength: 3 }),
});
const taskPlan = fc.record({
  estimateQuarterHours: fc.integer({ min: 0, max: 200 }),
  workOrders: fc.array(workOrderPlan, { maxLength: 4 }),
});

/** One project: 1–4 tasks, 0–4 work orders each, 0–3 bookings each, each booking with its event stream. */
export const fieldProgram: fc.Arbitrary<FieldProgram> = fc.array(taskPlan, { minLength: 1, maxLength: 4 }).map((tasks) => {
  const shape: { tasks: ProgramShape['tasks'][number][]; workOrders: ProgramShape['workOrders'][number][]; bookings: ProgramShape['bookings'][number][] } = {
    tasks: [],
    workOrders: [],
    bookings: [],
  };
  const events: FieldEvent[] = [];
  let n = 0;
  tasks.forEach((task, ti) => {
    const taskId = `task-${ti}`;
    shape.tasks.push({ taskId, projectId: 'project-0', estimateHours: task.estimateQuarterHours / 4 });
    task.workOrders.forEach((wo, wi) => {
      const workOrderId = `${taskId}:wo-${wi}`;
      shape.workOrders.push({ workOrderId, taskId, plannedEffortHours: wo.plannedQuarterHours / 4 });
      for (const plan of wo.bookings) {
        const bookingId = bookingIdOf(n);
        shape.bookings.push({ bookingId, workOrderId });
        events.push(...eventsFromPlan(bookingId, `b${n}`, plan));
        n += 1;
      }
    });
  });
  return { shape, events };
});

/** Any delivery of the events: shuffled, with some delivered twice or three times (duplicates and replays). */
export function delivery<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  return fc
    .record({
      repeats: fc.array(fc.nat(), { maxLength: Math.max(1, items.length) }),
      keys: fc.array(fc.nat(), { minLength: items.length * 3, maxLength: items.length * 3 }),
    })
    .map(({ repeats, keys }) => {
      const all = [...items, ...(items.length === 0 ? [] : repeats.map((r) => items[r % items.length] as T))];
      return all
        .map((item, i) => ({ item, key: keys[i % Math.max(1, keys.length)] ?? 0, i }))
        .sort((a, b) => a.key - b.key || a.i - b.i)
        .map((x) => x.item);
    });
}
