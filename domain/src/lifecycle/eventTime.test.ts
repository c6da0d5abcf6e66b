import { normaliseEventTime, parseEventTime } from './eventTime';

describe('event times', () => {
  it.each([
    ['2027-03-01T09:30:00+11:00', '2027-02-28T22:30:00Z'],
    ['2027-03-01T09:30+11:00', '2027-02-28T22:30:00Z'],
    ['2027-03-01T09:30:00.999Z', '2027-03-01T09:30:00Z'],
    ['2027-03-01T09:30:00,5-05:00', '2027-03-01T14:30:00Z'],
    ['2027-03-01T09:30:00+0530', '2027-03-01T04:00:00Z'],
    ['2027-03-01T01:00:00+11', '2027-02-28T14:00:00Z'],
    ['2028-02-29T12:00:00Z', '2028-02-29T12:00:00Z'],
    // Sydney's DST ends on 2027-04-04: the same wall-clock hour twice, told apart only by the offset.
    ['2027-04-04T02:30:00+11:00', '2027-04-03T15:30:00Z'],
    ['2027-04-04T02:30:00+10:00', '2027-04-03T16:30:00Z'],
  ])('normalises %s to UTC seconds (%s)', (text, utc) => {
    expect(normaliseEventTime(text)).toBe(utc);
  });

  it.each([
    ['2027-03-01T09:30:00', /no UTC offset/],
    ['2027-03-01', /not an ISO 8601 date and time/],
    ['01/03/2027 09:30', /not an ISO 8601 date and time/],
    ['2027-02-29T09:30:00Z', /not a real date and time/],
    ['2027-13-01T09:30:00Z', /not a real date and time/],
    ['2027-03-01T24:00:00Z', /not a real date and time/],
    ['2027-03-01T09:60:00Z', /not a real date and time/],
    ['2027-03-01T09:30:00+15:00', /offsets run from -14:00 to \+14:00/],
    ['1700-01-01T00:00:00Z', /outside the dates Dataverse can store/],
    ['1753-01-01T00:30:00+01:00', /outside the dates Dataverse can store/],
    ['', /missing/],
  ])('explains what is wrong with %j', (text, problem) => {
    const r = parseEventTime(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(problem);
    expect(() => normaliseEventTime(text)).toThrow(problem);
  });

  it('names the field it reads', () => {
    const r = parseEventTime(42, 'occurredAt');
    expect(r).toEqual({ ok: false, problem: expect.stringContaining('occurredAt is missing') });
  });
});
