import { parseFieldEvent, validateFieldEvent } from './fieldEvent';

const BOOKING = '6F1C2A9E-1D2B-4C3D-8E9F-0A1B2C3D4E5F';
const valid = { eventId: 'evt-1', bookingId: BOOKING, stage: 'Travel', occurredAt: '2027-03-01T09:30:00+11:00', sequence: 2 };

describe('validating mobility events', () => {
  it('accepts a valid event and ignores extra properties', () => {
    expect(validateFieldEvent({ ...valid, appVersion: '4.2' })).toEqual([]);
    expect(validateFieldEvent({ ...valid, stage: 'Incomplete', reason: 'No access to the site', remainingEffortHours: 2.5 })).toEqual([]);
  });

  it('returns the event with the booking id in Dataverse form', () => {
    expect(parseFieldEvent(valid)).toEqual({ ok: true, value: { ...valid, bookingId: BOOKING.toLowerCase() } });
  });

  it.each([
    [{ ...valid, stage: 'Arrived' }, /stage 'Arrived' is not a field stage; send one of Acknowledged, Travel, Onsite, InProgress, Complete, Incomplete/],
    [{ ...valid, stage: undefined }, /stage is missing/],
    [{ ...valid, occurredAt: '2027-02-30T09:30:00+11:00' }, /not a real date and time/],
    [{ ...valid, occurredAt: '2027-03-01T09:30:00' }, /has no UTC offset/],
    [{ ...valid, occurredAt: 1772000000000 }, /occurredAt is missing/],
    [{ ...valid, sequence: -1 }, /sequence -1 is negative/],
    [{ ...valid, sequence: 1.5 }, /sequence 1.5 must be a whole number/],
    [{ ...valid, sequence: '3' }, /sequence '3' must be a whole number/],
    [{ ...valid, sequence: undefined }, /sequence is missing/],
    [{ ...valid, reason: 'Parts missing' }, /reason is only for Incomplete events; this event's stage is Travel/],
    [{ ...valid, remainingEffortHours: 2 }, /remainingEffortHours is only for Incomplete events/],
    [{ ...valid, stage: 'Incomplete', reason: '  ' }, /reason must be text/],
    [{ ...valid, stage: 'Incomplete', reason: 'x'.repeat(2001) }, /at most 2000/],
    [{ ...valid, stage: 'Incomplete', remainingEffortHours: -1 }, /remainingEffortHours -1 is negative/],
    [{ ...valid, eventId: '' }, /eventId is missing/],
    [{ ...valid, eventId: 'e'.repeat(101) }, /at most 100/],
    [{ ...valid, bookingId: 'booking-7' }, /bookingId 'booking-7' is not a booking id/],
  ])('explains the problem with %j', (input, problem) => {
    const problems = validateFieldEvent(input);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
    expect(parseFieldEvent(input)).toEqual({ ok: false, problems });
  });

  it('lists every problem at once', () => {
    expect(validateFieldEvent({ eventId: 'e', bookingId: BOOKING, stage: 'Done', occurredAt: 'yesterday', sequence: -2 })).toHaveLength(3);
  });

  it.each([null, 'Travel', [valid], 7])('rejects a body that is not an event object (%j)', (input) => {
    expect(validateFieldEvent(input)).toEqual([expect.stringMatching(/must be a JSON object/)]);
  });
});
