/** The final state depends only on the SET of events: any order, any duplicates, the same JSON. */
import fc from 'fast-check';
import { bookingIdOf, delivery, eventsFromPlan, fieldProgram } from '../rollup/testkit/fieldProgram';
import { applyEvent, type BookingState } from './bookingLifecycle';
import { validateFieldEvent, type FieldEvent } from './fieldEvent';

function byBooking(events: readonly FieldEvent[]): Map<string, BookingState> {
  const states = new Map<string, BookingState>();
  for (const e of events) {
    const r = applyEvent(states.get(e.bookingId), e);
    states.set(e.bookingId, r.state);
  }
  return states;
}

describe('booking lifecycle properties', () => {
  it('any delivery with duplicates and replays gives the state of one in-order delivery, byte for byte', () => {
    const arb = fieldProgram.chain((p) => fc.tuple(fc.constant(p), delivery(p.events)));
    fc.assert(
      fc.property(arb, ([program, delivered]) => {
        for (const e of program.events) expect(validateFieldEvent(e)).toEqual([]);
        const inOrder = byBooking(program.events);
        const shuffled = byBooking(delivered);
        expect([...shuffled.keys()].sort()).toEqual([...inOrder.keys()].sort());
        for (const [id, s] of inOrder) expect(JSON.stringify(shuffled.get(id))).toBe(JSON.stringify(s));
      }),
      { numRuns: 300 },
    );
  });

  it('a stage never moves backwards and effort, travel and sequence are never negative', () => {
    const rank = { Acknowledged: 0, Travel: 1, Onsite: 2, InProgress: 3, Complete: 4, Incomplete: 4 } as const;
    const arb = fieldProgram.chain((p) => delivery(p.events));
    fc.assert(
      fc.property(arb, (delivered) => {
        const states = new Map<string, BookingState>();
        for (const e of delivered) {
          const before = states.get(e.bookingId);
          const r = applyEvent(before, e);
          if (before) expect(rank[r.state.stage]).toBeGreaterThanOrEqual(rank[before.stage]);
          if (r.outcome === 'Duplicate') expect(r.state).toBe(before);
          expect(r.state.actualEffortHours ?? 0).toBeGreaterThanOrEqual(0);
          expect(r.state.travelMinutes ?? 0).toBeGreaterThanOrEqual(0);
          expect(r.state.completed).toBe(r.state.stage === 'Complete');
          states.set(e.bookingId, r.state);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('generated streams are valid events (the generator itself is checked)', () => {
    // A guard on the test data: every generated event passes the edge validation the bridge applies.
    const events = eventsFromPlan(bookingIdOf(1), 'g', {
      include: [true, true, true, true],
      terminal: 'IncompleteThenComplete',
      gapsMinutes: [5, 5, 5, 5, 5, 5, 5],
      offsets: [0, 1, 2, 3, 4, 5, 0],
      millis: [0, 250, 0, 999, 0, 0, 0],
      resend: { which: 2, jitterMinutes: -30 },
      reason: 'Parts missing',
      remaining: 1.5,
      startDay: 3,
    });
    expect(events).toHaveLength(7);
    for (const e of events) expect(validateFieldEvent(e)).toEqual([]);
  });
});
