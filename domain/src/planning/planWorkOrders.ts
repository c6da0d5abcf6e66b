/**
 * The planner (DESIGN §4 "Planning"): a task window, its effort and its generic resources become work order slots.
 *
 * - Working days are the site-local days whose working hours overlap the task window; days off in the template and
 *   the site's holidays are skipped. Each day's window is that overlap, so a task starting mid-afternoon gets a
 *   short first day.
 * - `perDay`: one slot per resource unit per working day. `wholeWindow`: one slot per resource unit from the first
 *   working day's start to the last working day's end.
 * - Effort: roles with their own effort share it among their units, the rest of the task effort is shared evenly
 *   among the other units; each unit's effort is spread evenly over its days, the remainder on the last day. All in
 *   whole hundredths of an hour, so the slots add up to the task effort exactly.
 * - Slots are numbered by (local date, roleId, resource number): independent of the input order, so re-planning an
 *   unchanged task gives the same keys.
 */
import { Scenario } from '../schema';
import { shareOf, smallestShare, toHours, unitEfforts } from './effortAllocation';
import { normalisePlanInput, type NormalisedPlanInput } from './normalisePlanInput';
import { planFingerprint } from './planFingerprint';
import { PlanningError } from './planningError';
import { dateOfLocalDay, workingDayWindows, type WorkingDayWindow } from './siteCalendar';
import type { Plan, PlanInput, PlannedSlot } from './types';
import { formatWorkingHours } from './workingHours';

/** `YYYY-MM-DDTHH:MM:SSZ` (instants are whole seconds already). */
function utcText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function scenarioOf(workingDays: number, units: number): number {
  if (workingDays === 1) return units === 1 ? Scenario.SingleDaySingleResource : Scenario.SingleDayMultipleResources;
  return units === 1 ? Scenario.MultipleDaysSingleResource : Scenario.MultipleDaysMultipleResources;
}

interface Unit {
  readonly roleId: string;
  readonly roleName: string;
  readonly resourceNumber: number;
  readonly centiHours: number;
}

function unitsOf(n: NormalisedPlanInput): Unit[] {
  const result = unitEfforts(n.effortCentiHours, n.roles);
  if (!result.ok) {
    const given = toHours(result.givenCentiHours);
    const task = toHours(n.effortCentiHours);
    throw new PlanningError(
      'effortMismatch',
      n.taskId,
      result.reason === 'rolesExceedTask'
        ? `${n.label}: its roles with their own effort take ${given} h of the task's ${task} h, leaving nothing for the other roles. Correct the assignments' effort or the task's effort.`
        : `${n.label}: its roles' efforts add up to ${given} h but the task's effort is ${task} h. Make them agree.`,
    );
  }
  return n.roles.flatMap((role, r) =>
    (result.units[r] ?? []).map((centiHours, i) => ({ roleId: role.roleId, roleName: role.roleName, resourceNumber: i + 1, centiHours })),
  );
}

function requireEffortPerSlot(n: NormalisedPlanInput, units: readonly Unit[], slotsPerUnit: number, days: number): void {
  const smallest = Math.min(...units.map((u) => smallestShare(u.centiHours, slotsPerUnit)));
  if (smallest >= 1) return;
  throw new PlanningError(
    'effortTooSmall',
    n.taskId,
    `${n.label} has ${toHours(n.effortCentiHours)} h of effort for ${units.length} resource(s) over ${days} working day(s): ` +
      `less than 0.01 h per work order. Raise the effort, shorten the window or assign fewer resources.`,
  );
}

function perDaySlots(taskId: string, windows: readonly WorkingDayWindow[], units: readonly Unit[]): PlannedSlot[] {
  const slots: PlannedSlot[] = [];
  windows.forEach((w, d) => {
    const windowStart = utcText(w.startMs);
    const windowEnd = utcText(w.endMs);
    for (const u of units) {
      const slotIndex = slots.length;
      slots.push({
        key: `${taskId}:${slotIndex}`,
        slotIndex,
        roleId: u.roleId,
        roleName: u.roleName,
        resourceNumber: u.resourceNumber,
        localDate: w.localDate,
        windowStart,
        windowEnd,
        effortHours: toHours(shareOf(u.centiHours, windows.length, d)),
      });
    }
  });
  return slots;
}

function wholeWindowSlots(taskId: string, windows: readonly WorkingDayWindow[], units: readonly Unit[]): PlannedSlot[] {
  const windowStart = utcText((windows[0] as WorkingDayWindow).startMs);
  const windowEnd = utcText((windows[windows.length - 1] as WorkingDayWindow).endMs);
  return units.map((u, slotIndex) => ({
    key: `${taskId}:${slotIndex}`,
    slotIndex,
    roleId: u.roleId,
    roleName: u.roleName,
    resourceNumber: u.resourceNumber,
    localDate: null,
    windowStart,
    windowEnd,
    effortHours: toHours(u.centiHours),
  }));
}

/** Plans the work orders of one task; throws a PlanningError when the task cannot be planned. */
export function planWorkOrders(input: PlanInput): Plan {
  const n = normalisePlanInput(input);
  const windows = workingDayWindows(n.startMs, n.endMs, n.firstDay, n.lastDay, n.zone, n.workingHours, n.nonWorkingDays);
  if (windows.length === 0) {
    const holidays = n.nonWorkingDatesInSpan.length > 0 ? ` and holidays ${n.nonWorkingDatesInSpan.join(', ')}` : '';
    throw new PlanningError(
      'noWorkingDay',
      n.taskId,
      `${n.label} has no working time between ${input.start} and ${input.end} (${dateOfLocalDay(n.firstDay)} to ` +
        `${dateOfLocalDay(n.lastDay)} in ${n.timeZone}, working hours ${formatWorkingHours(n.workingHours)}${holidays}). ` +
        `Move or widen its dates, or check the project's working hours.`,
    );
  }
  const units = unitsOf(n);
  requireEffortPerSlot(n, units, n.policy === 'perDay' ? windows.length : 1, windows.length);
  const slots = n.policy === 'perDay' ? perDaySlots(n.taskId, windows, units) : wholeWindowSlots(n.taskId, windows, units);

  return {
    taskId: n.taskId,
    policy: n.policy,
    scenario: scenarioOf(windows.length, units.length),
    slots,
    plannedEffortHours: toHours(n.effortCentiHours),
    plannedStart: utcText((windows[0] as WorkingDayWindow).startMs),
    plannedEnd: utcText((windows[windows.length - 1] as WorkingDayWindow).endMs),
    workingDays: windows.map((w) => w.localDate),
    fingerprint: planFingerprint({
      taskId: n.taskId,
      policy: n.policy,
      startSeconds: n.startMs / 1000,
      endSeconds: n.endMs / 1000,
      effortCentiHours: n.effortCentiHours,
      timeZone: n.timeZone,
      workingWeekdays: n.workingHours.days,
      workingStartMinutes: n.workingHours.startMinutes,
      workingEndMinutes: n.workingHours.endMinutes,
      nonWorkingDates: n.nonWorkingDatesInSpan,
      roles: n.roles.map((r) => ({ roleId: r.roleId, count: r.count, centiHours: r.centiHours ?? null })),
    }),
  };
}
