/**
 * A 10-year program is many leaf tasks of at most 1,250 days each (Project for the web's leaf-task limit). Three
 * back-to-back 1,250-day tasks with 3 resources each, in Sydney (20 daylight-saving changes), plan exactly and fast.
 */
import { DateTime } from 'luxon';
import { planWorkOrders } from './planWorkOrders';
import { hoursTemplate, sumCenti, taskInput } from './testSupport';
import type { Plan, PlanInput } from './types';

const ZONE = 'Australia/Sydney';
const FIRST_DAY = DateTime.fromISO('2026-01-05', { zone: ZONE });

/** Leaf task k: 08:00 on its first day to 17:00 on its 1,250th. */
function leafTask(k: number): PlanInput {
  const first = FIRST_DAY.plus({ days: k * 1250 });
  const last = first.plus({ days: 1249 });
  return taskInput({
    taskId: `leaf-${k}`,
    taskName: `Network upgrade phase ${k + 1}`,
    start: first.set({ hour: 8 }).toUTC().toISO() as string,
    end: last.set({ hour: 17 }).toUTC().toISO() as string,
    effortHours: 21431.37,
    resources: [
      { roleId: 'role-rigger', roleName: 'Rigger', count: 2 },
      { roleId: 'role-engineer', roleName: 'RF engineer', count: 1, effortHours: 5000.5 },
    ],
  });
}

/** Monday-to-Friday dates from `from` for `days` days, by plain calendar arithmetic. */
function weekdays(from: DateTime, days: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < days; i += 1) {
    const d = new Date(Date.UTC(from.year, from.month - 1, from.day + i));
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

describe('planWorkOrders over a 10-year program', () => {
  it('plans three 1,250-day leaf tasks exactly, each well under 100 ms', () => {
    planWorkOrders(leafTask(0)); // warm-up: the JIT and the zone's formatter, as in a running bridge
    const plans: Plan[] = [];
    const millis: number[] = [];
    for (let k = 0; k < 3; k += 1) {
      const started = performance.now();
      plans.push(planWorkOrders(leafTask(k)));
      millis.push(performance.now() - started);
    }

    const programEnd = DateTime.fromISO(plans[2]?.plannedEnd as string);
    expect(programEnd.diff(FIRST_DAY, 'years').years).toBeGreaterThan(10);
    plans.forEach((plan, k) => {
      const expectedDays = weekdays(FIRST_DAY.plus({ days: k * 1250 }), 1250);
      expect(plan.workingDays).toEqual(expectedDays);
      expect(plan.slots).toHaveLength(expectedDays.length * 3);
      expect(plan.slots.map((s) => s.slotIndex)).toEqual(plan.slots.map((_, i) => i));
      expect(sumCenti(plan.slots.map((s) => s.effortHours))).toBe(2143137);
      expect(sumCenti(plan.slots.filter((s) => s.roleId === 'role-engineer').map((s) => s.effortHours))).toBe(500050);
      // Every working day is 08:00–17:00 Sydney time, whatever the season.
      for (const s of plan.slots) {
        const start = DateTime.fromISO(s.windowStart, { zone: ZONE });
        const end = DateTime.fromISO(s.windowEnd, { zone: ZONE });
        expect([start.toISODate(), start.hour, start.minute, end.hour, end.minute]).toEqual([s.localDate, 8, 0, 17, 0]);
      }
    });
    for (const ms of millis) expect(ms).toBeLessThan(100);
  });

  it('accepts 1,250 days and refuses 1,251, whatever the holidays', () => {
    const task = leafTask(0);
    const australiaDay = '2026-01-26';
    expect(planWorkOrders({ ...task, nonWorkingDates: [australiaDay] }).workingDays).toEqual(weekdays(FIRST_DAY, 1250).filter((d) => d !== australiaDay));
    const oneMore = DateTime.fromISO(task.end).plus({ days: 1 }).toUTC().toISO() as string;
    expect(() => planWorkOrders({ ...task, end: oneMore })).toThrow(/spans 1251 days/);
  });

  it('plans the largest task, 1,250 working days round the clock with 3 resources, well under 100 ms', () => {
    const task = { ...leafTask(0), workingHours: hoursTemplate('Mon-Sun 00:00-24:00') };
    planWorkOrders(task);
    const started = performance.now();
    const plan = planWorkOrders(task);
    const millis = performance.now() - started;
    expect(plan.slots).toHaveLength(3750);
    expect(sumCenti(plan.slots.map((s) => s.effortHours))).toBe(2143137);
    expect(millis).toBeLessThan(100);
  });
});
