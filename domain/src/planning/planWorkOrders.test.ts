import { Scenario } from '../schema';
import { planWorkOrders } from './planWorkOrders';
import { PlanningError } from './planningError';
import { hoursTemplate, sumCenti, taskInput } from './testSupport';
import type { PlannedSlot, PlanInput } from './types';

/** Slots as compact rows: [key, role, resource, localDate, start, end, effort]. */
function rows(slots: readonly PlannedSlot[]): [string, string, number, string | null, string, string, number][] {
  return slots.map((s) => [s.key, s.roleId, s.resourceNumber, s.localDate, s.windowStart, s.windowEnd, s.effortHours]);
}

const RIGGERS = { roleId: 'role-b-rigger', roleName: 'Rigger', count: 2 };
const ELECTRICIAN = { roleId: 'role-a-electrician', roleName: 'Electrician', count: 1 };

describe('planWorkOrders: the four scenarios (Sydney, June 2026, AEST = UTC+10)', () => {
  it('single day, single resource: one work order for the day', () => {
    const plan = planWorkOrders(taskInput());
    expect(plan).toEqual({
      taskId: 'task-1',
      policy: 'perDay',
      scenario: Scenario.SingleDaySingleResource,
      slots: [
        {
          key: 'task-1:0',
          slotIndex: 0,
          roleId: 'role-tech',
          roleName: 'Technician',
          resourceNumber: 1,
          localDate: '2026-06-02',
          windowStart: '2026-06-01T22:00:00Z',
          windowEnd: '2026-06-02T07:00:00Z',
          effortHours: 8,
        },
      ],
      plannedEffortHours: 8,
      plannedStart: '2026-06-01T22:00:00Z',
      plannedEnd: '2026-06-02T07:00:00Z',
      workingDays: ['2026-06-02'],
      fingerprint: expect.stringMatching(/^v1-[0-9a-f]{16}$/),
    });
  });

  it('single day, several resources: one work order per unit, roles ordered by id', () => {
    const plan = planWorkOrders(taskInput({ effortHours: 24, resources: [RIGGERS, ELECTRICIAN] }));
    expect(plan.scenario).toBe(Scenario.SingleDayMultipleResources);
    expect(rows(plan.slots)).toEqual([
      ['task-1:0', 'role-a-electrician', 1, '2026-06-02', '2026-06-01T22:00:00Z', '2026-06-02T07:00:00Z', 8],
      ['task-1:1', 'role-b-rigger', 1, '2026-06-02', '2026-06-01T22:00:00Z', '2026-06-02T07:00:00Z', 8],
      ['task-1:2', 'role-b-rigger', 2, '2026-06-02', '2026-06-01T22:00:00Z', '2026-06-02T07:00:00Z', 8],
    ]);
  });

  it('several days, single resource: one work order a day, the remainder on the last day', () => {
    // Monday 1 June 08:00 to Friday 5 June 17:00 local.
    const plan = planWorkOrders(taskInput({ start: '2026-05-31T22:00:00Z', end: '2026-06-05T07:00:00Z', effortHours: 40.03 }));
    expect(plan.scenario).toBe(Scenario.MultipleDaysSingleResource);
    expect(rows(plan.slots)).toEqual([
      ['task-1:0', 'role-tech', 1, '2026-06-01', '2026-05-31T22:00:00Z', '2026-06-01T07:00:00Z', 8],
      ['task-1:1', 'role-tech', 1, '2026-06-02', '2026-06-01T22:00:00Z', '2026-06-02T07:00:00Z', 8],
      ['task-1:2', 'role-tech', 1, '2026-06-03', '2026-06-02T22:00:00Z', '2026-06-03T07:00:00Z', 8],
      ['task-1:3', 'role-tech', 1, '2026-06-04', '2026-06-03T22:00:00Z', '2026-06-04T07:00:00Z', 8],
      ['task-1:4', 'role-tech', 1, '2026-06-05', '2026-06-04T22:00:00Z', '2026-06-05T07:00:00Z', 8.03],
    ]);
    expect(plan.plannedEffortHours).toBe(40.03);
    expect(sumCenti(plan.slots.map((s) => s.effortHours))).toBe(4003);
  });

  it('several days, several resources: by day, then role id, then unit; the remainders on the last unit and day', () => {
    // Monday to Wednesday; 50 h over 3 units: 16.66, 16.66 and 16.68 h; each over 3 days.
    const plan = planWorkOrders(
      taskInput({ start: '2026-05-31T22:00:00Z', end: '2026-06-03T07:00:00Z', effortHours: 50, resources: [RIGGERS, ELECTRICIAN] }),
    );
    expect(plan.scenario).toBe(Scenario.MultipleDaysMultipleResources);
    expect(rows(plan.slots)).toEqual([
      ['task-1:0', 'role-a-electrician', 1, '2026-06-01', '2026-05-31T22:00:00Z', '2026-06-01T07:00:00Z', 5.55],
      ['task-1:1', 'role-b-rigger', 1, '2026-06-01', '2026-05-31T22:00:00Z', '2026-06-01T07:00:00Z', 5.55],
      ['task-1:2', 'role-b-rigger', 2, '2026-06-01', '2026-05-31T22:00:00Z', '2026-06-01T07:00:00Z', 5.56],
      ['task-1:3', 'role-a-electrician', 1, '2026-06-02', '2026-06-01T22:00:00Z', '2026-06-02T07:00:00Z', 5.55],
      ['task-1:4', 'role-b-rigger', 1, '2026-06-02', '2026-06-01T22:00:00Z', '2026-06-02T07:00:00Z', 5.55],
      ['task-1:5', 'role-b-rigger', 2, '2026-06-02', '2026-06-01T22:00:00Z', '2026-06-02T07:00:00Z', 5.56],
      ['task-1:6', 'role-a-electrician', 1, '2026-06-03', '2026-06-02T22:00:00Z', '2026-06-03T07:00:00Z', 5.56],
      ['task-1:7', 'role-b-rigger', 1, '2026-06-03', '2026-06-02T22:00:00Z', '2026-06-03T07:00:00Z', 5.56],
      ['task-1:8', 'role-b-rigger', 2, '2026-06-03', '2026-06-02T22:00:00Z', '2026-06-03T07:00:00Z', 5.56],
    ]);
    expect(sumCenti(plan.slots.map((s) => s.effortHours))).toBe(5000);
  });
});

describe('planWorkOrders: windows and days', () => {
  it('gives a task that starts mid-afternoon and ends mid-morning a short first and last day', () => {
    // Tuesday 14:00 to Thursday 10:00 local.
    const plan = planWorkOrders(taskInput({ start: '2026-06-02T04:00:00Z', end: '2026-06-04T00:00:00Z', effortHours: 6 }));
    expect(rows(plan.slots)).toEqual([
      ['task-1:0', 'role-tech', 1, '2026-06-02', '2026-06-02T04:00:00Z', '2026-06-02T07:00:00Z', 2],
      ['task-1:1', 'role-tech', 1, '2026-06-03', '2026-06-02T22:00:00Z', '2026-06-03T07:00:00Z', 2],
      ['task-1:2', 'role-tech', 1, '2026-06-04', '2026-06-03T22:00:00Z', '2026-06-04T00:00:00Z', 2],
    ]);
    expect([plan.plannedStart, plan.plannedEnd]).toEqual(['2026-06-02T04:00:00Z', '2026-06-04T00:00:00Z']);
  });

  it('plans a 2-hour task inside one day as one 2-hour work order', () => {
    // Tuesday 10:00 to 12:00 local.
    const plan = planWorkOrders(taskInput({ start: '2026-06-02T00:00:00Z', end: '2026-06-02T02:00:00Z', effortHours: 2 }));
    expect(rows(plan.slots)).toEqual([['task-1:0', 'role-tech', 1, '2026-06-02', '2026-06-02T00:00:00Z', '2026-06-02T02:00:00Z', 2]]);
    expect(plan.scenario).toBe(Scenario.SingleDaySingleResource);
  });

  it('clips a window that runs from midnight to midnight to the working hours', () => {
    const plan = planWorkOrders(taskInput({ start: '2026-06-01T14:00:00Z', end: '2026-06-02T14:00:00Z' }));
    expect(rows(plan.slots)).toEqual([['task-1:0', 'role-tech', 1, '2026-06-02', '2026-06-01T22:00:00Z', '2026-06-02T07:00:00Z', 8]]);
  });

  it('skips weekends and the site holidays', () => {
    // Friday 5 June 08:00 to Tuesday 9 June 17:00; Monday 8 June is the King's Birthday holiday in NSW.
    const input = taskInput({ start: '2026-06-04T22:00:00Z', end: '2026-06-09T07:00:00Z', effortHours: 16 });
    expect(planWorkOrders(input).workingDays).toEqual(['2026-06-05', '2026-06-08', '2026-06-09']);
    const plan = planWorkOrders({ ...input, nonWorkingDates: ['2026-06-08'] });
    expect(rows(plan.slots)).toEqual([
      ['task-1:0', 'role-tech', 1, '2026-06-05', '2026-06-04T22:00:00Z', '2026-06-05T07:00:00Z', 8],
      ['task-1:1', 'role-tech', 1, '2026-06-09', '2026-06-08T22:00:00Z', '2026-06-09T07:00:00Z', 8],
    ]);
  });

  it('works the days of the template, e.g. Saturdays, and its hours', () => {
    const plan = planWorkOrders(
      taskInput({ start: '2026-06-04T22:00:00Z', end: '2026-06-08T07:00:00Z', effortHours: 15, workingHours: hoursTemplate('Mon-Thu,Sat 07:00-15:30') }),
    );
    // Friday is off in this template; Saturday 6 and Monday 8 June work 07:00–15:30 (21:00Z–05:30Z).
    expect(rows(plan.slots)).toEqual([
      ['task-1:0', 'role-tech', 1, '2026-06-06', '2026-06-05T21:00:00Z', '2026-06-06T05:30:00Z', 7.5],
      ['task-1:1', 'role-tech', 1, '2026-06-08', '2026-06-07T21:00:00Z', '2026-06-08T05:30:00Z', 7.5],
    ]);
  });

  it('reads instants with any offset and plans whole seconds inside the task window', () => {
    const plan = planWorkOrders(taskInput({ start: '2026-06-02T09:30:00.250+10:00', end: '2026-06-02T11:00:59.900+10:00', effortHours: 1.5 }));
    expect(rows(plan.slots)).toEqual([['task-1:0', 'role-tech', 1, '2026-06-02', '2026-06-01T23:30:01Z', '2026-06-02T01:00:59Z', 1.5]]);
  });
});

describe('planWorkOrders: effort', () => {
  it("gives a role with its own effort that effort and shares the rest among the other roles' units", () => {
    const plan = planWorkOrders(
      taskInput({ effortHours: 20, resources: [{ ...ELECTRICIAN, effortHours: 4.5 }, RIGGERS] }),
    );
    expect(plan.slots.map((s) => [s.roleId, s.resourceNumber, s.effortHours])).toEqual([
      ['role-a-electrician', 1, 4.5],
      ['role-b-rigger', 1, 7.75],
      ['role-b-rigger', 2, 7.75],
    ]);
  });

  it('adds up exactly where decimal hours do not divide: 10 h over 3 units and 7 days', () => {
    const plan = planWorkOrders(
      taskInput({ start: '2026-05-31T22:00:00Z', end: '2026-06-09T07:00:00Z', effortHours: 10, resources: [{ ...RIGGERS, count: 3 }] }),
    );
    expect(plan.workingDays).toHaveLength(7);
    expect(plan.slots).toHaveLength(21);
    expect(sumCenti(plan.slots.map((s) => s.effortHours))).toBe(1000);
    // 3.33, 3.33, 3.34 h per unit; 0.47 h a day and the rest on the last day.
    const lastUnit = plan.slots.filter((s) => s.resourceNumber === 3).map((s) => s.effortHours);
    expect(lastUnit).toEqual([0.47, 0.47, 0.47, 0.47, 0.47, 0.47, 0.52]);
    expect(plan.slots.every((s) => Number.isInteger(Math.round(s.effortHours * 100)) && Math.abs(s.effortHours * 100 - Math.round(s.effortHours * 100)) < 1e-9)).toBe(true);
  });

  it('rounds an effort with more than 2 decimals to hundredths of an hour', () => {
    const plan = planWorkOrders(taskInput({ effortHours: 1.005 }));
    expect(plan.plannedEffortHours).toBe(1.01);
    expect(plan.slots[0]?.effortHours).toBe(1.01);
  });
});

describe('planWorkOrders: the wholeWindow policy', () => {
  it('plans one work order per unit from the first working day start to the last working day end', () => {
    const plan = planWorkOrders(
      taskInput({ start: '2026-06-02T04:00:00Z', end: '2026-06-05T07:00:00Z', effortHours: 25, resources: [RIGGERS], policy: 'wholeWindow' }),
    );
    expect(plan.policy).toBe('wholeWindow');
    expect(plan.scenario).toBe(Scenario.MultipleDaysMultipleResources);
    expect(plan.workingDays).toEqual(['2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05']);
    expect(rows(plan.slots)).toEqual([
      ['task-1:0', 'role-b-rigger', 1, null, '2026-06-02T04:00:00Z', '2026-06-05T07:00:00Z', 12.5],
      ['task-1:1', 'role-b-rigger', 2, null, '2026-06-02T04:00:00Z', '2026-06-05T07:00:00Z', 12.5],
    ]);
  });
});

describe('planWorkOrders: determinism and the fingerprint', () => {
  const base = taskInput({
    start: '2026-05-31T22:00:00Z',
    end: '2026-06-05T07:00:00Z',
    effortHours: 77.77,
    resources: [RIGGERS, ELECTRICIAN, { roleId: 'role-c-splicer', roleName: 'Splicer', count: 1, effortHours: 10 }],
    nonWorkingDates: ['2026-06-03'],
  });

  it('plans the same input identically, whatever the order of roles and holidays', () => {
    const plan = planWorkOrders(base);
    expect(planWorkOrders(base)).toEqual(plan);
    const shuffled = { ...base, resources: [...base.resources].reverse(), nonWorkingDates: ['2026-06-03', '2026-12-25', '2026-06-03'] };
    expect(planWorkOrders(shuffled)).toEqual(plan);
  });

  it('keeps the fingerprint when only names change', () => {
    const plan = planWorkOrders(base);
    const renamed = planWorkOrders({ ...base, taskName: 'Renamed', resources: base.resources.map((r) => ({ ...r, roleName: `${r.roleName}!` })) });
    expect(renamed.fingerprint).toBe(plan.fingerprint);
  });

  it.each<[string, Partial<PlanInput>]>([
    ['the effort', { effortHours: 77.78 }],
    ['the start', { start: '2026-05-31T23:00:00Z' }],
    ['the end', { end: '2026-06-05T06:00:00Z' }],
    ['a holiday inside the window', { nonWorkingDates: ['2026-06-03', '2026-06-04'] }],
    ['the time zone', { timeZone: 'Australia/Melbourne' }],
    ['the working hours', { workingHours: hoursTemplate('Mon-Fri 07:00-17:00') }],
    ['the policy', { policy: 'wholeWindow' }],
    ['a role count', { resources: [{ ...RIGGERS, count: 3 }, ELECTRICIAN] }],
    ['a role effort', { resources: [RIGGERS, { ...ELECTRICIAN, effortHours: 5 }] }],
    ['the task id', { taskId: 'task-2' }],
  ])('changes the fingerprint when %s changes', (_what, change) => {
    expect(planWorkOrders({ ...base, ...change }).fingerprint).not.toBe(planWorkOrders(base).fingerprint);
  });
});

describe('planWorkOrders: refuses what it cannot plan, naming the task', () => {
  it.each<[string, Partial<PlanInput>, string, RegExp]>([
    ['no task id', { taskId: ' ' }, 'missingTaskId', /no task id/],
    ['an unparseable start', { start: 'next Tuesday' }, 'invalidDate', /no valid scheduled start/],
    ['a start without an offset', { start: '2026-06-02T08:00:00' }, 'invalidDate', /no valid scheduled start/],
    ['an end on a day that does not exist', { end: '2026-06-31T07:00:00Z' }, 'invalidDate', /no valid scheduled end/],
    ['an end before the start', { end: '2026-06-01T21:00:00Z' }, 'endBeforeStart', /finishes .* no later than it starts/],
    ['an empty window', { end: '2026-06-01T22:00:00Z' }, 'endBeforeStart', /no later than it starts/],
    ['an unknown time zone', { timeZone: 'Australia/Gotham' }, 'unknownTimeZone', /not an IANA time zone/],
    ['a date before 2000', { start: '1999-12-30T22:00:00Z' }, 'dateOutOfRange', /from 2000-01-01 to 2149-12-31/],
    ['a date after 2149', { start: '2149-12-31T00:00:00Z', end: '2150-01-01T03:00:00Z' }, 'dateOutOfRange', /from 2000-01-01 to 2149-12-31/],
    ['more than 1,250 days', { end: '2029-11-03T07:00:00Z' }, 'tooLong', /spans 1251 days .* at most 1250 days/],
    ['zero effort', { effortHours: 0 }, 'invalidEffort', /no positive effort/],
    ['negative effort', { effortHours: -3 }, 'invalidEffort', /no positive effort/],
    ['NaN effort', { effortHours: Number.NaN }, 'invalidEffort', /no positive effort/],
    ['no resources', { resources: [] }, 'noResources', /no generic resource/],
    ['a zero count', { resources: [{ ...RIGGERS, count: 0 }] }, 'invalidResource', /count of 0/],
    ['a fractional count', { resources: [{ ...RIGGERS, count: 1.5 }] }, 'invalidResource', /count of 1.5/],
    ['a role listed twice', { resources: [RIGGERS, RIGGERS] }, 'invalidResource', /lists role 'Rigger' twice/],
    ['more than 20 resources', { effortHours: 200, resources: [{ ...RIGGERS, count: 21 }] }, 'tooManyResources', /21 resources; .* at most 20/],
    ['role efforts over the task effort', { resources: [{ ...ELECTRICIAN, effortHours: 8 }, RIGGERS] }, 'effortMismatch', /leaving nothing/],
    ['role efforts that differ from the task effort', { resources: [{ ...ELECTRICIAN, effortHours: 7 }] }, 'effortMismatch', /add up to 7 h .* 8 h/],
    ['a bad holiday', { nonWorkingDates: ['2026-02-30'] }, 'invalidNonWorkingDate', /'2026-02-30' is not a date/],
    ['a window on a weekend', { start: '2026-06-05T22:00:00Z', end: '2026-06-07T07:00:00Z' }, 'noWorkingDay', /no working time .* Mon-Fri 08:00-17:00/],
    ['a window after hours', { start: '2026-06-02T08:00:00Z', end: '2026-06-02T20:00:00Z' }, 'noWorkingDay', /no working time/],
    ['a window on a holiday', { nonWorkingDates: ['2026-06-02'] }, 'noWorkingDay', /holidays 2026-06-02/],
    ['too little effort per work order', { effortHours: 0.02, resources: [{ ...RIGGERS, count: 3 }] }, 'effortTooSmall', /less than 0.01 h per work order/],
    ['an unknown policy', { policy: 'weekly' as never }, 'invalidPolicy', /'weekly' is not a planning policy/],
  ])('refuses %s', (_what, change, code, message) => {
    const attempt = (): unknown => planWorkOrders(taskInput(change));
    expect(attempt).toThrow(PlanningError);
    try {
      attempt();
    } catch (e) {
      const error = e as PlanningError;
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/^Task 'Install antenna'/);
    }
  });
});
