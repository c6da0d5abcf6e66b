/**
 * DESIGN §7: "Duplicated, reordered and replayed events: roll-ups equal those of one in-order delivery", and the
 * incremental roll-ups equal a full recompute after any sequence of changes.
 */
import fc from 'fast-check';
import { applyEvent, type BookingState } from '../lifecycle/bookingLifecycle';
import type { FieldEvent } from '../lifecycle/fieldEvent';
import type { BookingRollup } from './bookingRollup';
import { projectProgressColumns, taskSyncColumns } from './columns';
import { applyTaskChange, EMPTY_PROJECT, recomputeProject } from './projectRollup';
import { addBooking, applyFieldEvent, buildRollupIndex, indexColumns, removeBooking, setTaskEstimate, type IndexColumns, type ProgramShape, type RollupIndex } from './rollupIndex';
import { applyWorkOrderChange, emptyTask, recomputeTask, type TaskRollup } from './taskRollup';
import { bookingIdOf, delivery, eventsFromPlan, fieldProgram } from './testkit/fieldProgram';
import { applyBookingChange, emptyWorkOrder, recomputeWorkOrder, type WorkOrderRollup } from './workOrderRollup';

function finalStates(events: readonly FieldEvent[]): BookingState[] {
  const states = new Map<string, BookingState>();
  for (const e of events) states.set(e.bookingId, applyEvent(states.get(e.bookingId), e).state);
  return [...states.values()];
}

function deliver(shape: ProgramShape, events: readonly FieldEvent[]): RollupIndex {
  const index = buildRollupIndex(shape);
  for (const e of events) applyFieldEvent(index, e);
  return index;
}

function expectPercentagesInRange(columns: IndexColumns): void {
  for (const t of Object.values(columns.tasks)) {
    expect(t.pfb_percentcomplete).toBeGreaterThanOrEqual(0);
    expect(t.pfb_percentcomplete).toBeLessThanOrEqual(100);
  }
  for (const p of Object.values(columns.projects)) {
    expect(p.pfb_percentcomplete).toBeGreaterThanOrEqual(0);
    expect(p.pfb_percentcomplete).toBeLessThanOrEqual(100);
  }
}

describe('roll-ups are independent of delivery order', () => {
  it('any delivery with duplicates and replays yields the booking, work order, task and project columns of one in-order delivery', () => {
    const arb = fieldProgram.chain((p) => fc.tuple(fc.constant(p), delivery(p.events)));
    fc.assert(
      fc.property(arb, ([program, delivered]) => {
        const inOrder = indexColumns(deliver(program.shape, program.events));
        const shuffled = indexColumns(deliver(program.shape, delivered));
        const recomputed = indexColumns(buildRollupIndex(program.shape, finalStates(program.events)));
        expect(shuffled).toEqual(inOrder);
        expect(recomputed).toEqual(inOrder);
        expectPercentagesInRange(shuffled);
      }),
      { numRuns: 300 },
    );
  });

  it('after any prefix of any delivery, the incremental index equals a full recompute of the events so far', () => {
    const arb = fieldProgram.chain((p) => fc.tuple(fc.constant(p), delivery(p.events), fc.nat()));
    fc.assert(
      fc.property(arb, ([program, delivered, cut]) => {
        const prefix = delivered.slice(0, delivered.length === 0 ? 0 : cut % (delivered.length + 1));
        expect(indexColumns(deliver(program.shape, prefix))).toEqual(indexColumns(buildRollupIndex(program.shape, finalStates(prefix))));
      }),
      { numRuns: 200 },
    );
  });
});

const TIMES = ['2027-03-01T00:00:00Z', '2027-03-01T01:00:00Z', '2027-03-01T02:00:00Z', '2027-03-01T03:00:00Z', '2027-03-02T00:00:00Z'];
const time = fc.option(fc.constantFrom(...TIMES), { nil: null });

const bookingRollupArb: fc.Arbitrary<BookingRollup> = fc.record({
  phase: fc.constantFrom('Scheduled', 'Active', 'Complete', 'Incomplete'),
  actualStart: time,
  actualEnd: time,
  effortSeconds: fc.nat({ max: 40 * 3600 }),
  lastEventAt: time,
});
const workOrderRollupArb: fc.Arbitrary<WorkOrderRollup> = fc.record({
  plannedSeconds: fc.nat({ max: 400 }).map((q) => q * 900),
  phase: fc.constantFrom('NotStarted', 'InProgress', 'Completed', 'Incomplete'),
  effortSeconds: fc.nat({ max: 40 * 3600 }),
  actualStart: time,
  actualEnd: time,
  lastEventAt: time,
});
const taskRollupArb: fc.Arbitrary<TaskRollup> = fc
  .record({
    estimateSeconds: fc.nat({ max: 400 }).map((q) => q * 900),
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    status: fc.constantFrom('NotStarted', 'InProgress', 'Completed', 'Incomplete'),
    effortSeconds: fc.nat({ max: 400 * 3600 }),
    actualStart: time,
    actualEnd: time,
    lastEventAt: time,
  })
  .map(({ fraction, ...t }) => ({ ...t, earnedSeconds: Math.round(t.estimateSeconds * fraction) }));

/** A random sequence of changes to a parent's children: set slot i to a new contribution, or remove it (null). */
function changes<C>(child: fc.Arbitrary<C>): fc.Arbitrary<{ slot: number; value: C | null }[]> {
  return fc.array(fc.record({ slot: fc.nat({ max: 5 }), value: fc.option(child, { nil: null, freq: 4 }) }), { maxLength: 40 });
}

function replay<C, A>(ops: { slot: number; value: C | null }[], start: A, apply: (agg: A, before: C | null, after: C | null, children: () => C[]) => A, check: (agg: A, children: C[]) => void): void {
  const slots = new Map<number, C>();
  let agg = start;
  for (const { slot, value } of ops) {
    const before = slots.get(slot) ?? null;
    if (value === null) slots.delete(slot);
    else slots.set(slot, value);
    agg = apply(agg, before, value, () => [...slots.values()]);
    check(agg, [...slots.values()]);
  }
}

describe('incremental roll-ups equal a full recompute after any sequence of changes', () => {
  it('work order from bookings', () => {
    fc.assert(
      fc.property(changes(bookingRollupArb), (ops) => {
        replay(ops, emptyWorkOrder(6), applyBookingChange, (agg, children) => expect(agg).toEqual(recomputeWorkOrder(6, children)));
      }),
      { numRuns: 300 },
    );
  });

  it('task from work orders', () => {
    fc.assert(
      fc.property(changes(workOrderRollupArb), (ops) => {
        replay(ops, emptyTask(12.5), applyWorkOrderChange, (agg, children) => {
          const full = recomputeTask(12.5, children);
          expect(agg).toEqual(full);
          const columns = taskSyncColumns(agg);
          expect(columns).toEqual(taskSyncColumns(full));
          expect(columns.pfb_percentcomplete).toBeGreaterThanOrEqual(0);
          expect(columns.pfb_percentcomplete).toBeLessThanOrEqual(100);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('project from tasks', () => {
    fc.assert(
      fc.property(changes(taskRollupArb), (ops) => {
        replay(ops, EMPTY_PROJECT, applyTaskChange, (agg, children) => {
          const full = recomputeProject(children);
          expect(agg).toEqual(full);
          const columns = projectProgressColumns(agg);
          expect(columns.pfb_percentcomplete).toBeGreaterThanOrEqual(0);
          expect(columns.pfb_percentcomplete).toBeLessThanOrEqual(100);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('the whole index under events, rebookings, cancellations and re-estimates', () => {
    type Op = { kind: 'event'; n: number } | { kind: 'add'; workOrder: number; stream: number } | { kind: 'remove'; n: number } | { kind: 'estimate'; task: number; hours: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('event' as const), n: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), workOrder: fc.nat(), stream: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), n: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('estimate' as const), task: fc.nat(), hours: fc.nat({ max: 80 }) }) },
    );
    const arb = fieldProgram.chain((p) => fc.tuple(fc.constant(p), delivery(p.events), fc.array(op, { maxLength: 60 })));
    fc.assert(
      fc.property(arb, ([program, delivered, ops]) => {
        const shape = { tasks: [...program.shape.tasks], workOrders: [...program.shape.workOrders], bookings: [...program.shape.bookings] };
        const index = buildRollupIndex(shape);
        const applied: FieldEvent[] = [];
        let pending = [...delivered];
        let added = 0;
        for (const o of ops) {
          if (o.kind === 'event' && pending.length > 0) {
            const e = pending[o.n % pending.length] as FieldEvent;
            pending = pending.filter((x) => x !== e);
            if (!shape.bookings.some((b) => b.bookingId === e.bookingId)) continue;
            applyFieldEvent(index, e);
            applied.push(e);
          } else if (o.kind === 'add' && shape.workOrders.length > 0) {
            const workOrderId = (shape.workOrders[o.workOrder % shape.workOrders.length] as { workOrderId: string }).workOrderId;
            const bookingId = bookingIdOf(100000 + added);
            added += 1;
            shape.bookings.push({ bookingId, workOrderId });
            addBooking(index, bookingId, workOrderId);
            // Its events arrive later, mixed with the rest.
            const stream = eventsFromPlan(bookingId, `x${added}`, {
              include: [o.stream % 2 === 0, true, true, o.stream % 3 !== 0],
              terminal: o.stream % 4 === 0 ? 'Incomplete' : 'Complete',
              gapsMinutes: [10, 20, 30, 40, 50, 60, 70].map((g) => g + (o.stream % 7)),
              offsets: [1, 1, 2, 3, 0, 4, 5],
              millis: [0, 0, 0, 0, 0, 0, 0],
              resend: null,
              reason: 'Parts missing',
              remaining: 2,
              startDay: o.stream % 5,
            });
            pending.push(...stream);
          } else if (o.kind === 'remove' && shape.bookings.length > 0) {
            const victim = shape.bookings[o.n % shape.bookings.length] as ProgramShape['bookings'][number];
            shape.bookings.splice(shape.bookings.indexOf(victim), 1);
            removeBooking(index, victim.bookingId);
          } else if (o.kind === 'estimate') {
            const t = shape.tasks[o.task % shape.tasks.length] as ProgramShape['tasks'][number];
            shape.tasks[shape.tasks.indexOf(t)] = { ...t, estimateHours: o.hours / 4 };
            setTaskEstimate(index, t.taskId, o.hours / 4);
          }
          const live = new Set(shape.bookings.map((b) => b.bookingId));
          const full = indexColumns(buildRollupIndex(shape, finalStates(applied.filter((e) => live.has(e.bookingId)))));
          const incremental = indexColumns(index);
          expect(incremental).toEqual(full);
          expectPercentagesInRange(incremental);
        }
      }),
      { numRuns: 150 },
    );
  });
});
