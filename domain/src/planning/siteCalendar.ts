/**
 * The site's calendar: which local days a task window touches, which of them are working days, and each working
 * day's working time as UTC instants. Local days are counted as whole days since 1970-01-01 (pure arithmetic, no
 * zone involved); only wall-clock times become instants, through Luxon's time-zone data, so 08:00 in Sydney is
 * 21:00Z or 22:00Z depending on daylight saving.
 */
import type { Zone } from 'luxon';
import type { IsoWeekday, WorkingHours } from './workingHours';

/** Whole days since 1970-01-01 of a site-local calendar date. */
export type LocalDay = number;

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;

export interface WorkingDayWindow {
  readonly day: LocalDay;
  /** `YYYY-MM-DD`. */
  readonly localDate: string;
  /** The day's working time clipped to the task window, epoch milliseconds, start < end. */
  readonly startMs: number;
  readonly endMs: number;
}

export function localDayOfDate(isoDate: string): LocalDay | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March: a real date reads back the same.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return ms / MS_PER_DAY;
}

export function dateOfLocalDay(day: LocalDay): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 1970-01-01 was a Thursday (ISO weekday 4). */
export function weekdayOfLocalDay(day: LocalDay): IsoWeekday {
  return ((((day + 3) % 7) + 7) % 7) + 1 as IsoWeekday;
}

/** The local calendar day of an instant in a zone. */
export function localDayAt(ms: number, zone: Zone): LocalDay {
  return Math.floor((ms + zone.offset(ms) * MS_PER_MINUTE) / MS_PER_DAY);
}

/**
 * Wall-clock time → instant in a zone, using Luxon's zone data. Luxon's `DateTime.fromObject` resolves a wall time
 * that occurs twice (the hour repeated when clocks go back) from an offset guessed at the process's current date, so
 * the same input could plan differently in January and in July; this rule does not depend on the date of the run:
 * - a repeated wall time is its first occurrence (the earlier instant);
 * - a wall time skipped when clocks go forward is read with the offset before the change (02:30 → 03:30 new time).
 * Each instant that shows a wall time on `day` lies between 14 h before and 12 h after that wall time read as UTC,
 * so inside the three days from `day - 1` to `day + 2`; the zone is assumed to change offset at most once in three
 * days, as the zones in use do. Offsets are sampled once per day and reused (a plan over 1,250 days asks
 * the zone about 1,250 times, not once per working-day boundary).
 */
export function siteClock(zone: Zone): (day: LocalDay, minutes: number) => number {
  const samples = new Map<LocalDay, number>();
  const offsetAtStartOf = (day: LocalDay): number => {
    let offset = samples.get(day);
    if (offset === undefined) {
      offset = zone.offset(day * MS_PER_DAY);
      samples.set(day, offset);
    }
    return offset;
  };
  return (day, minutes) => {
    const wall = day * MS_PER_DAY + minutes * MS_PER_MINUTE;
    const before = offsetAtStartOf(day - 1);
    const after = offsetAtStartOf(day + 2);
    const withBefore = wall - before * MS_PER_MINUTE;
    if (before === after) return withBefore;
    const withAfter = wall - after * MS_PER_MINUTE;
    const beforeShows = zone.offset(withBefore) === before;
    const afterShows = zone.offset(withAfter) === after;
    if (beforeShows && afterShows) return Math.min(withBefore, withAfter);
    if (afterShows) return withAfter;
    return withBefore;
  };
}

/**
 * The working days from `firstDay` to `lastDay` (site-local days) whose working time overlaps [startMs, endMs),
 * each with that overlap. Days outside `workingHours.days` and `nonWorkingDays` are skipped.
 */
export function workingDayWindows(
  startMs: number,
  endMs: number,
  firstDay: LocalDay,
  lastDay: LocalDay,
  zone: Zone,
  workingHours: WorkingHours,
  nonWorkingDays: ReadonlySet<LocalDay>,
): WorkingDayWindow[] {
  const weekdays = new Set<IsoWeekday>(workingHours.days);
  const wallClock = siteClock(zone);
  const out: WorkingDayWindow[] = [];
  for (let day = firstDay; day <= lastDay; day += 1) {
    if (!weekdays.has(weekdayOfLocalDay(day)) || nonWorkingDays.has(day)) continue;
    const from = Math.max(startMs, wallClock(day, workingHours.startMinutes));
    const to = Math.min(endMs, wallClock(day, workingHours.endMinutes));
    if (to > from) out.push({ day, localDate: dateOfLocalDay(day), startMs: from, endMs: to });
  }
  return out;
}
