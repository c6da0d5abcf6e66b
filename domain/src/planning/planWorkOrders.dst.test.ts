/**
 * Daylight saving: a working day is a wall-clock day at the site, so its UTC window moves when the clocks change.
 * 2026 changes (all on Sundays): Sydney 5 April (AEDT +11 → AEST +10) and 4 October (back to +11); London 29 March
 * (GMT → BST) and 25 October; New York 8 March (EST → EDT) and 1 November.
 */
import { Settings } from 'luxon';
import { planWorkOrders } from './planWorkOrders';
import { hoursTemplate, taskInput } from './testSupport';
import type { PlanInput } from './types';

function windows(input: Partial<PlanInput>): [string | null, string, string][] {
  return planWorkOrders(taskInput(input)).slots.map((s) => [s.localDate, s.windowStart, s.windowEnd]);
}

describe('planWorkOrders across daylight-saving changes', () => {
  it('Sydney, April: 08:00 is 21:00Z before the change and 22:00Z after it', () => {
    // Thursday 2 April 08:00 AEDT to Tuesday 7 April 17:00 AEST.
    expect(windows({ start: '2026-04-01T21:00:00Z', end: '2026-04-07T07:00:00Z', effortHours: 32 })).toEqual([
      ['2026-04-02', '2026-04-01T21:00:00Z', '2026-04-02T06:00:00Z'],
      ['2026-04-03', '2026-04-02T21:00:00Z', '2026-04-03T06:00:00Z'],
      ['2026-04-06', '2026-04-05T22:00:00Z', '2026-04-06T07:00:00Z'],
      ['2026-04-07', '2026-04-06T22:00:00Z', '2026-04-07T07:00:00Z'],
    ]);
  });

  it('Sydney, Easter 2026: Good Friday and Easter Monday off around the change', () => {
    const input = { start: '2026-04-01T21:00:00Z', end: '2026-04-07T07:00:00Z', effortHours: 16, nonWorkingDates: ['2026-04-03', '2026-04-06'] };
    expect(windows(input)).toEqual([
      ['2026-04-02', '2026-04-01T21:00:00Z', '2026-04-02T06:00:00Z'],
      ['2026-04-07', '2026-04-06T22:00:00Z', '2026-04-07T07:00:00Z'],
    ]);
  });

  it('Sydney, October: 08:00 is 22:00Z before the change and 21:00Z after it', () => {
    // Friday 2 October 08:00 AEST to Monday 5 October 17:00 AEDT.
    expect(windows({ start: '2026-10-01T22:00:00Z', end: '2026-10-05T06:00:00Z', effortHours: 16 })).toEqual([
      ['2026-10-02', '2026-10-01T22:00:00Z', '2026-10-02T07:00:00Z'],
      ['2026-10-05', '2026-10-04T21:00:00Z', '2026-10-05T06:00:00Z'],
    ]);
  });

  it('Sydney, a round-the-clock site: the change days last 25 and 23 hours', () => {
    const allDay = hoursTemplate('Mon-Sun 00:00-24:00');
    const april = windows({ start: '2026-04-04T13:00:00Z', end: '2026-04-05T14:00:00Z', workingHours: allDay });
    expect(april).toEqual([['2026-04-05', '2026-04-04T13:00:00Z', '2026-04-05T14:00:00Z']]);
    const october = windows({ start: '2026-10-03T14:00:00Z', end: '2026-10-04T13:00:00Z', workingHours: allDay });
    expect(october).toEqual([['2026-10-04', '2026-10-03T14:00:00Z', '2026-10-04T13:00:00Z']]);
    // A window wider than the day is cut at the local midnights on either side.
    expect(windows({ start: '2026-04-04T12:00:00Z', end: '2026-04-05T15:00:00Z', workingHours: allDay, effortHours: 3 })).toEqual([
      ['2026-04-04', '2026-04-04T12:00:00Z', '2026-04-04T13:00:00Z'],
      ['2026-04-05', '2026-04-04T13:00:00Z', '2026-04-05T14:00:00Z'],
      ['2026-04-06', '2026-04-05T14:00:00Z', '2026-04-05T15:00:00Z'],
    ]);
  });

  it('London, March and October: 08:00 is 08:00Z in GMT and 07:00Z in BST', () => {
    const london = { timeZone: 'Europe/London', effortHours: 16 };
    expect(windows({ ...london, start: '2026-03-27T08:00:00Z', end: '2026-03-30T16:00:00Z' })).toEqual([
      ['2026-03-27', '2026-03-27T08:00:00Z', '2026-03-27T17:00:00Z'],
      ['2026-03-30', '2026-03-30T07:00:00Z', '2026-03-30T16:00:00Z'],
    ]);
    expect(windows({ ...london, start: '2026-10-23T07:00:00Z', end: '2026-10-26T17:00:00Z' })).toEqual([
      ['2026-10-23', '2026-10-23T07:00:00Z', '2026-10-23T16:00:00Z'],
      ['2026-10-26', '2026-10-26T08:00:00Z', '2026-10-26T17:00:00Z'],
    ]);
  });

  it('New York, March and November: 08:00 is 13:00Z in EST and 12:00Z in EDT', () => {
    const newYork = { timeZone: 'America/New_York', effortHours: 16 };
    expect(windows({ ...newYork, start: '2026-03-06T13:00:00Z', end: '2026-03-09T21:00:00Z' })).toEqual([
      ['2026-03-06', '2026-03-06T13:00:00Z', '2026-03-06T22:00:00Z'],
      ['2026-03-09', '2026-03-09T12:00:00Z', '2026-03-09T21:00:00Z'],
    ]);
    expect(windows({ ...newYork, start: '2026-10-30T12:00:00Z', end: '2026-11-02T22:00:00Z' })).toEqual([
      ['2026-10-30', '2026-10-30T12:00:00Z', '2026-10-30T21:00:00Z'],
      ['2026-11-02', '2026-11-02T13:00:00Z', '2026-11-02T22:00:00Z'],
    ]);
  });

  it('counts days in the site zone, not in UTC: a Sydney Monday starts on Sunday UTC', () => {
    const plan = planWorkOrders(taskInput({ start: '2026-06-07T22:00:00Z', end: '2026-06-08T07:00:00Z' }));
    expect(plan.workingDays).toEqual(['2026-06-08']);
    const kolkata = planWorkOrders(taskInput({ timeZone: 'Asia/Kolkata', start: '2026-06-08T02:30:00Z', end: '2026-06-08T11:30:00Z' }));
    expect(kolkata.slots.map((s) => [s.localDate, s.windowStart, s.windowEnd])).toEqual([['2026-06-08', '2026-06-08T02:30:00Z', '2026-06-08T11:30:00Z']]);
  });

  describe('wall times that occur twice or not at all', () => {
    const realNow = Settings.now;
    afterEach(() => {
      Settings.now = realNow;
      Settings.resetCaches();
    });

    // Luxon guesses an offset from the date of the run for such wall times; the planner must not depend on it.
    it.each([['in January', '2026-01-15T00:00:00Z'], ['in July', '2026-07-15T00:00:00Z']])(
      'plans the same windows when run %s',
      (_when, now) => {
        Settings.now = () => Date.parse(now);
        Settings.resetCaches();
        // New York, Sunday 1 November: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST); the first counts.
        expect(
          windows({ timeZone: 'America/New_York', workingHours: hoursTemplate('Sun 01:30-12:00'), start: '2026-11-01T04:00:00Z', end: '2026-11-01T20:00:00Z' }),
        ).toEqual([['2026-11-01', '2026-11-01T05:30:00Z', '2026-11-01T17:00:00Z']]);
        // New York, Sunday 8 March: 02:30 does not exist; read with the offset before the change it is 07:30Z (03:30 EDT).
        expect(
          windows({ timeZone: 'America/New_York', workingHours: hoursTemplate('Sun 02:30-12:00'), start: '2026-03-08T05:00:00Z', end: '2026-03-08T20:00:00Z' }),
        ).toEqual([['2026-03-08', '2026-03-08T07:30:00Z', '2026-03-08T16:00:00Z']]);
        // Sydney, Sunday 5 April: 02:30 happens at 15:30Z (AEDT) and again at 16:30Z (AEST).
        expect(
          windows({ workingHours: hoursTemplate('Sun 02:30-12:00'), start: '2026-04-04T12:00:00Z', end: '2026-04-05T12:00:00Z' }),
        ).toEqual([['2026-04-05', '2026-04-04T15:30:00Z', '2026-04-05T02:00:00Z']]);
      },
    );
  });
});
