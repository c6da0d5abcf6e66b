import { formatInZone, hoursBetween, localInputValue, offsetMinutes, zonedIso } from './time';

describe('site times on the technician page', () => {
  it('gives the zone offset in force, summer and winter', () => {
    expect(offsetMinutes(Date.parse('2027-01-15T00:00:00Z'), 'Australia/Sydney')).toBe(660);
    expect(offsetMinutes(Date.parse('2027-06-15T00:00:00Z'), 'Australia/Sydney')).toBe(600);
    expect(offsetMinutes(Date.parse('2027-06-15T00:00:00Z'), 'Europe/London')).toBe(60);
    expect(offsetMinutes(Date.parse('2027-01-15T00:00:00Z'), 'UTC')).toBe(0);
  });

  it('turns a wall-clock time into an instant with the offset of that day', () => {
    expect(zonedIso('2027-04-06T09:30', 'Australia/Sydney')).toBe('2027-04-06T09:30:00+10:00');
    expect(zonedIso('2027-03-30T09:30', 'Australia/Sydney')).toBe('2027-03-30T09:30:00+11:00');
    expect(Date.parse(zonedIso('2027-03-30T09:30', 'Australia/Sydney'))).toBe(Date.parse('2027-03-29T22:30:00Z'));
    expect(zonedIso('2027-03-29T08:00', 'Europe/London')).toBe('2027-03-29T08:00:00+01:00');
  });

  it('takes the first of a time that happens twice, and moves a skipped time on by the gap', () => {
    // Sydney: 03:00 becomes 02:00 on 4 April 2027; 02:00 becomes 03:00 on 3 October 2027.
    expect(zonedIso('2027-04-04T02:30', 'Australia/Sydney')).toBe('2027-04-04T02:30:00+11:00');
    expect(zonedIso('2027-10-03T02:30', 'Australia/Sydney')).toBe('2027-10-03T03:30:00+11:00');
  });

  it('round-trips with the datetime-local value and counts hours across a change of clocks', () => {
    const at = Date.parse('2027-04-03T23:15:00Z');
    expect(localInputValue(at, 'Australia/Sydney')).toBe('2027-04-04T09:15');
    expect(Date.parse(zonedIso(localInputValue(at, 'Australia/Sydney'), 'Australia/Sydney'))).toBe(at);
    // 01:00 to 05:00 on the night the clocks go back is five hours of work.
    expect(hoursBetween(zonedIso('2027-04-04T01:00', 'Australia/Sydney'), zonedIso('2027-04-04T05:00', 'Australia/Sydney'))).toBe(5);
    expect(formatInZone('2027-04-05T23:30:00Z', 'Australia/Sydney')).toBe('Tue, Apr 6, 2027, 09:30');
  });

  it('refuses what is not a date and time', () => {
    expect(() => zonedIso('6 April 09:30', 'Australia/Sydney')).toThrow(/not a date and time/);
  });
});
