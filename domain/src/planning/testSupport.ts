/** Test helpers for the planner's tests (not exported from the package). */
import { parseWorkingHours, type WorkingHours } from './workingHours';
import type { ExistingSlot, Plan, PlanInput } from './types';

export function hoursTemplate(text: string): WorkingHours {
  const r = parseWorkingHours(text);
  if (!r.ok) throw new Error(r.problem);
  return r.value;
}

export const MON_FRI_8_TO_5 = hoursTemplate('Mon-Fri 08:00-17:00');

/** A one-technician Sydney task on Tuesday 2 June 2026, 08:00–17:00 AEST (no daylight saving in June). */
export function taskInput(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    taskId: 'task-1',
    taskName: 'Install antenna',
    start: '2026-06-01T22:00:00Z',
    end: '2026-06-02T07:00:00Z',
    effortHours: 8,
    resources: [{ roleId: 'role-tech', roleName: 'Technician', count: 1 }],
    timeZone: 'Australia/Sydney',
    workingHours: MON_FRI_8_TO_5,
    ...overrides,
  };
}

/** The plan's slots as the bridge would read its work orders back. */
export function asExisting(plan: Plan, patch: (key: string) => Partial<ExistingSlot> = () => ({})): ExistingSlot[] {
  return plan.slots.map((s) => ({
    key: s.key,
    effortHours: s.effortHours,
    windowStart: s.windowStart,
    windowEnd: s.windowEnd,
    started: false,
    ...patch(s.key),
  }));
}

/** Hours → whole hundredths, for exact sums. */
export function centi(hours: number): number {
  return Math.round(hours * 100);
}

export function sumCenti(hours: readonly number[]): number {
  return hours.reduce((sum, h) => sum + centi(h), 0);
}
