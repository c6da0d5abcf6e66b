/**
 * Checks a PlanInput and brings it to one canonical form: instants in whole seconds, effort in hundredths of an hour,
 * roles sorted by id, holidays as local days. Whatever the planner cannot plan becomes a PlanningError naming the
 * task and the fix.
 */
import { DateTime, IANAZone, type Zone } from 'luxon';
import { toCentiHours } from './effortAllocation';
import { PlanningError, taskLabel, type PlanningErrorCode } from './planningError';
import { dateOfLocalDay, localDayAt, localDayOfDate, type LocalDay } from './siteCalendar';
import type { PlanInput, PlanningPolicy } from './types';
import type { WorkingHours } from './workingHours';

/**
 * Project for the web: "1250-day leaf task" (dataverse-facts §1.3), counted as site-local calendar days from the
 * start's date to the date of the task's last second, both included. Validation counts the same way (it imports this
 * limit), so the planner never refuses a task that validation lets through. Whether Project counts working days
 * instead is [inferred] in the facts; calendar days are the stricter reading.
 */
export const MAX_LEAF_TASK_DAYS = 1250;
/** Project for the web: "20 resources per task" (dataverse-facts §1.3). */
export const MAX_RESOURCES_PER_TASK = 20;
/** Project for the web: task dates 1/1/2000–12/31/2149 (dataverse-facts §1.3), as site-local dates. */
export const FIRST_TASK_DATE = '2000-01-01';
export const LAST_TASK_DATE = '2149-12-31';

export interface NormalisedRole {
  readonly roleId: string;
  readonly roleName: string;
  readonly count: number;
  readonly centiHours?: number;
}

export interface NormalisedPlanInput {
  readonly taskId: string;
  /** `Task 'Install antenna'`, for messages. */
  readonly label: string;
  readonly policy: PlanningPolicy;
  readonly startMs: number;
  readonly endMs: number;
  readonly firstDay: LocalDay;
  readonly lastDay: LocalDay;
  readonly timeZone: string;
  readonly zone: Zone;
  readonly workingHours: WorkingHours;
  readonly nonWorkingDays: ReadonlySet<LocalDay>;
  /** Holidays inside [firstDay, lastDay], sorted, `YYYY-MM-DD`. */
  readonly nonWorkingDatesInSpan: readonly string[];
  readonly effortCentiHours: number;
  /** Sorted by roleId (code-unit order, independent of locale and of the input order). */
  readonly roles: readonly NormalisedRole[];
}

/** An ISO 8601 date-time that carries its offset: a bare local time would be read in the wrong zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

function instantMs(text: string): number | undefined {
  if (typeof text !== 'string' || !INSTANT.test(text)) return undefined;
  // Luxon, not Date.parse: Date.parse rolls 2026-02-30 over to 2 March.
  const t = DateTime.fromISO(text, { setZone: true });
  return t.isValid ? t.toMillis() : undefined;
}

function isWorkingHours(w: WorkingHours | undefined): w is WorkingHours {
  return (
    w !== undefined &&
    Array.isArray(w.days) &&
    w.days.length > 0 &&
    w.days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7) &&
    Number.isInteger(w.startMinutes) &&
    Number.isInteger(w.endMinutes) &&
    w.startMinutes >= 0 &&
    w.endMinutes <= 24 * 60 &&
    w.startMinutes < w.endMinutes
  );
}

function refuse(code: PlanningErrorCode, taskId: string, message: string): never {
  throw new PlanningError(code, taskId, message);
}

export function normalisePlanInput(input: PlanInput): NormalisedPlanInput {
  const taskId = typeof input.taskId === 'string' ? input.taskId.trim() : '';
  const label = taskLabel(input.taskName, taskId || '(no id)');
  // Annotated so that TypeScript narrows after each `fail(…)` call.
  const fail: (code: PlanningErrorCode, message: string) => never = (code, message) => refuse(code, taskId, message);
  if (!taskId) fail('missingTaskId', `${label} has no task id; the planner needs it to key the work orders.`);

  const policy = input.policy ?? 'perDay';
  if (policy !== 'perDay' && policy !== 'wholeWindow') {
    fail('invalidPolicy', `${label}: '${String(policy)}' is not a planning policy (use 'perDay' or 'wholeWindow').`);
  }

  const timeZone = input.timeZone;
  if (typeof timeZone !== 'string' || !IANAZone.isValidZone(timeZone)) {
    fail('unknownTimeZone', `${label}: '${String(timeZone)}' is not an IANA time zone; set the project's site time zone (e.g. Australia/Sydney).`);
  }

  const rawStart = instantMs(input.start);
  const rawEnd = instantMs(input.end);
  if (rawStart === undefined) fail('invalidDate', `${label} has no valid scheduled start ('${String(input.start)}'); set its start date.`);
  if (rawEnd === undefined) fail('invalidDate', `${label} has no valid scheduled end ('${String(input.end)}'); set its finish date.`);
  // Work orders carry whole seconds: round inwards so every slot stays inside the task window.
  const startMs = Math.ceil(rawStart / 1000) * 1000;
  const endMs = Math.floor(rawEnd / 1000) * 1000;
  if (endMs <= startMs) fail('endBeforeStart', `${label} finishes (${input.end}) no later than it starts (${input.start}); correct its dates.`);

  const zone = IANAZone.create(timeZone);
  const firstDay = localDayAt(startMs, zone);
  const lastDay = localDayAt(endMs - 1000, zone);
  const first = dateOfLocalDay(firstDay);
  const last = dateOfLocalDay(lastDay);
  if (first < FIRST_TASK_DATE || last > LAST_TASK_DATE) {
    fail('dateOutOfRange', `${label} runs from ${first} to ${last}; Project allows dates from ${FIRST_TASK_DATE} to ${LAST_TASK_DATE}. Correct its dates.`);
  }
  const days = lastDay - firstDay + 1;
  if (days > MAX_LEAF_TASK_DAYS) {
    fail('tooLong', `${label} spans ${days} days (${first} to ${last}); a leaf task may span at most ${MAX_LEAF_TASK_DAYS} days. Split it into shorter tasks.`);
  }

  if (!isWorkingHours(input.workingHours)) {
    fail('invalidWorkingHours', `${label}: the project's working hours are not a usable template; set them like 'Mon-Fri 08:00-17:00'.`);
  }

  const nonWorkingDays = new Set<LocalDay>();
  for (const date of input.nonWorkingDates ?? []) {
    const day = localDayOfDate(date);
    if (day === undefined) fail('invalidNonWorkingDate', `${label}: the non-working date '${String(date)}' is not a date; write it as YYYY-MM-DD.`);
    nonWorkingDays.add(day);
  }
  const nonWorkingDatesInSpan = [...nonWorkingDays]
    .filter((d) => d >= firstDay && d <= lastDay)
    .sort((a, b) => a - b)
    .map(dateOfLocalDay);

  if (typeof input.effortHours !== 'number' || !Number.isFinite(input.effortHours) || toCentiHours(input.effortHours) <= 0) {
    fail('invalidEffort', `${label} has no positive effort (${String(input.effortHours)} h); set its estimated effort.`);
  }
  const effortCentiHours = toCentiHours(input.effortHours);

  const resources = Array.isArray(input.resources) ? input.resources : [];
  if (resources.length === 0) fail('noResources', `${label} has no generic resource assigned; assign at least one role.`);
  const seen = new Set<string>();
  let units = 0;
  const roles: NormalisedRole[] = resources.map((r) => {
    const roleId = typeof r.roleId === 'string' ? r.roleId.trim() : '';
    const roleName = typeof r.roleName === 'string' && r.roleName.trim() ? r.roleName.trim() : roleId;
    if (!roleId) fail('invalidResource', `${label} has a resource assignment without a role; set the role of every generic resource.`);
    if (seen.has(roleId)) fail('invalidResource', `${label} lists role '${roleName}' twice; group its assignments into one entry with a count.`);
    seen.add(roleId);
    if (!Number.isInteger(r.count) || r.count < 1) {
      fail('invalidResource', `${label}: role '${roleName}' has a count of ${String(r.count)}; it must be a whole number of at least 1.`);
    }
    units += r.count;
    if (r.effortHours === undefined || r.effortHours === null) return { roleId, roleName, count: r.count };
    if (!Number.isFinite(r.effortHours) || toCentiHours(r.effortHours) <= 0) {
      fail('invalidEffort', `${label}: role '${roleName}' has an effort of ${String(r.effortHours)} h; give it a positive effort or none.`);
    }
    return { roleId, roleName, count: r.count, centiHours: toCentiHours(r.effortHours) };
  });
  if (units > MAX_RESOURCES_PER_TASK) {
    fail('tooManyResources', `${label} asks for ${units} resources; a task may have at most ${MAX_RESOURCES_PER_TASK}. Split the task.`);
  }
  roles.sort((a, b) => (a.roleId < b.roleId ? -1 : a.roleId > b.roleId ? 1 : 0));

  return {
    taskId,
    label,
    policy,
    startMs,
    endMs,
    firstDay,
    lastDay,
    timeZone,
    zone,
    workingHours: {
      days: [...new Set(input.workingHours.days)].sort((a, b) => a - b),
      startMinutes: input.workingHours.startMinutes,
      endMinutes: input.workingHours.endMinutes,
    },
    nonWorkingDays,
    nonWorkingDatesInSpan,
    effortCentiHours,
    roles,
  };
}
