import { applyEvent, bookingStateFromEvents, type BookingState } from './bookingLifecycle';
import type { FieldEvent } from './fieldEvent';

const BOOKING = '6f1c2a9e-1d2b-4c3d-8e9f-0a1b2c3d4e5f';
let n = 0;
function ev(stage: FieldEvent['stage'], localTime: string, sequence: number, extra: Partial<FieldEvent> = {}): FieldEvent {
  n += 1;
  return { eventId: `evt-${n}`, bookingId: BOOKING, stage, occurredAt: `2027-03-01T${localTime}+11:00`, sequence, ...extra };
}

function fold(events: FieldEvent[]): BookingState {
  const s = bookingStateFromEvents(events);
  if (!s) throw new Error('no events');
  return s;
}

const ack = ev('Acknowledged', '07:45:00', 1);
const travel = ev('Travel', '08:30:00', 2);
const onsite = ev('Onsite', '09:10:00', 3);
const working = ev('InProgress', '09:30:00', 4);
const complete = ev('Complete', '13:45:00', 5);
const dayInOrder = [ack, travel, onsite, working, complete];

describe('booking lifecycle: one in-order day', () => {
  it('derives the actuals in UTC', () => {
    const s = fold(dayInOrder);
    expect(s).toMatchObject({
      stage: 'Complete',
      stageAt: '2027-03-01T02:45:00Z',
      highestSequence: 5,
      actualStart: '2027-02-28T22:30:00Z',
      actualEnd: '2027-03-01T02:45:00Z',
      actualEffortHours: 4.25,
      travelMinutes: 40,
      incompleteReason: null,
      remainingEffortHours: null,
      completed: true,
    });
  });

  it('applies each event in turn and says so', () => {
    let s: BookingState | undefined;
    for (const e of dayInOrder) {
      const r = applyEvent(s, e);
      expect(r).toMatchObject({ outcome: 'Applied', changed: true });
      expect(r.state.stage).toBe(e.stage);
      s = r.state;
    }
  });

  it('is plain JSON the bridge can persist and pass back', () => {
    const s = fold(dayInOrder.slice(0, 3));
    const revived = JSON.parse(JSON.stringify(s)) as BookingState;
    expect(revived).toEqual(s);
    expect(applyEvent(revived, working).state).toEqual(applyEvent(s, working).state);
  });
});

describe('booking lifecycle: what the field really sends', () => {
  it('ignores a duplicate event id entirely', () => {
    const s = fold([ack, travel]);
    expect(applyEvent(s, travel)).toEqual({ state: s, outcome: 'Duplicate', changed: false });
    expect(applyEvent(s, { ...travel, occurredAt: '2027-03-01T05:00:00+11:00' }).outcome).toBe('Duplicate');
  });

  it('never moves a stage backwards, but a late event still contributes its timestamp', () => {
    const s = fold([ack, working, complete]);
    expect(s.actualStart).toBe('2027-02-28T22:30:00Z');
    const late = applyEvent(s, onsite);
    expect(late.outcome).toBe('Stale');
    expect(late.changed).toBe(true);
    expect(late.state.stage).toBe('Complete');
    expect(late.state.firstAt.Onsite).toBe('2027-02-28T22:10:00Z');
    const withTravel = applyEvent(late.state, travel).state;
    expect(withTravel.travelMinutes).toBe(40);
  });

  it('keeps the earliest time of a stage reported twice under different ids', () => {
    const s = fold([ack, travel, onsite, working, complete]);
    const resentLater = applyEvent(s, ev('InProgress', '09:50:00', 4));
    expect(resentLater).toMatchObject({ outcome: 'Stale', changed: false });
    const resentEarlier = applyEvent(s, ev('InProgress', '09:20:00', 4));
    expect(resentEarlier).toMatchObject({ outcome: 'Stale', changed: true });
    expect(resentEarlier.state.actualStart).toBe('2027-02-28T22:20:00Z');
  });

  it('starts at Onsite when there is no In Progress, and moves to In Progress when one arrives', () => {
    const s = fold([onsite, complete]);
    expect(s.actualStart).toBe('2027-02-28T22:10:00Z');
    expect(s.actualEffortHours).toBeCloseTo(4.5833, 4);
    const later = applyEvent(s, working).state;
    expect(later.actualStart).toBe('2027-02-28T22:30:00Z');
    expect(later.actualEffortHours).toBe(4.25);
  });

  it('has no start, effort or travel without the stages that define them', () => {
    const s = fold([ack, complete]);
    expect(s).toMatchObject({ actualStart: null, actualEnd: '2027-03-01T02:45:00Z', actualEffortHours: null, travelMinutes: null, completed: true });
  });

  it('never reports negative effort or travel when device clocks disagree', () => {
    const s = fold([ev('Travel', '10:00:00', 1), ev('Onsite', '09:00:00', 2), ev('InProgress', '12:00:00', 3), ev('Complete', '11:00:00', 4)]);
    expect(s.travelMinutes).toBe(0);
    expect(s.actualEffortHours).toBe(0);
  });

  it('records why the work was Incomplete and does not count it as completed', () => {
    const s = fold([onsite, working, ev('Incomplete', '11:00:00', 5, { reason: 'Parts missing', remainingEffortHours: 3 })]);
    expect(s).toMatchObject({
      stage: 'Incomplete',
      actualEnd: '2027-03-01T00:00:00Z',
      actualEffortHours: 1.5,
      incompleteReason: 'Parts missing',
      remainingEffortHours: 3,
      completed: false,
    });
  });

  it('does not move from a terminal stage back to an earlier one', () => {
    const s = fold([working, complete]);
    const r = applyEvent(s, ev('Travel', '15:00:00', 9));
    expect(r.outcome).toBe('Stale');
    expect(r.state.stage).toBe('Complete');
    expect(r.state.highestSequence).toBe(9);
  });

  it('throws on a caller bug: another booking, or an unreadable time', () => {
    const s = fold([ack]);
    expect(() => applyEvent(s, { ...travel, bookingId: '00000000-0000-4000-8000-000000000001' })).toThrow(/apply it to its own booking/);
    expect(() => applyEvent(s, { ...travel, eventId: 'bad', occurredAt: '2027-03-01T09:30:00' })).toThrow(/no UTC offset/);
  });
});

describe('booking lifecycle: Complete against Incomplete', () => {
  const incompleteAt = (time: string, sequence: number, reason = 'No access'): FieldEvent => ev('Incomplete', time, sequence, { reason });

  it('the higher sequence wins: a technician who came back and finished', () => {
    const first = incompleteAt('11:00:00', 5);
    const finished = ev('Complete', '15:00:00', 6);
    for (const order of [[working, first, finished], [finished, working, first], [first, finished, working]]) {
      const s = fold(order);
      expect(s).toMatchObject({ stage: 'Complete', completed: true, actualEnd: '2027-03-01T04:00:00Z', incompleteReason: null });
    }
  });

  it('the higher sequence wins the other way too, and the late loser is Stale', () => {
    const done = ev('Complete', '13:00:00', 5);
    const undone = incompleteAt('14:00:00', 6, 'Customer rejected the work');
    const r = applyEvent(fold([working, undone]), done);
    expect(r.outcome).toBe('Stale');
    expect(r.state).toMatchObject({ stage: 'Incomplete', incompleteReason: 'Customer rejected the work', completed: false });
    expect(applyEvent(fold([working, done]), undone).outcome).toBe('Applied');
  });

  it('on equal sequence the later time wins, and at the same instant Incomplete wins', () => {
    expect(fold([ev('Complete', '13:00:00', 5), incompleteAt('12:00:00', 5)]).stage).toBe('Complete');
    expect(fold([ev('Complete', '12:00:00', 5), incompleteAt('13:00:00', 5)]).stage).toBe('Incomplete');
    expect(fold([ev('Complete', '12:00:00', 5), incompleteAt('12:00:00', 5)]).stage).toBe('Incomplete');
    expect(fold([incompleteAt('12:00:00', 5), ev('Complete', '12:00:00', 5)]).stage).toBe('Incomplete');
  });

  it('between two Incompletes the winner gives the reason, whatever the order', () => {
    const a = incompleteAt('11:00:00', 5, 'Parts missing');
    const b = incompleteAt('11:30:00', 6, 'Site closed');
    expect(fold([a, b]).incompleteReason).toBe('Site closed');
    expect(fold([b, a]).incompleteReason).toBe('Site closed');
    expect(fold([b, a]).actualEnd).toBe('2027-03-01T00:00:00Z');
  });
});
