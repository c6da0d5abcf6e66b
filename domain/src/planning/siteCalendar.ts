/**
 * The site's calendar: which local days a task window touches, which of them are working days, and each working
 * day's working time as UTC instants. Local days are counted as whole days since 1970-01-01 (pure arithmetic, no
 * zone involved); only wall-clock times become instants, through Luxon, so 08:00 in Sydney is 21:00Z or 22:00Z
 * depending on daylight saving.
 */
import { DateTime } from 'luxon';
import type { IsoWeekday, WorkingHours } from './workingHours';

/** Whole days since 1970-01-01 of a site-local calendar date. */
export type LocalDay = number;

const MS_PER_DAY = 86_400_000;
const MINUTES_PER_DAY = 24 * 60;

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
export function localDayAt(ms: number, zone: string): LocalDay {
  const t = DateTime.fromMillis(ms, { zone });
  return Date.UTC(t.year, t.month - 1, t.day) / MS_PER_DAY;
}

/**
 * The instant a wall clock in `zone` shows `minutes` after midnight of `day` (1440 = the next midnight). A wall time
 * that a spring-forward change skips resolves as Luxon does (forward, by the old offset).
 */
export function wallClockInstant(zone: string, day: LocalDay, minutes: number): number {
  const date = new Date((day + Math.floor(minutes / MINUTES_PER_DAY)) * MS_PER_DAY);
  const rest = minutes % MINUTES_PER_DAY;
  return DateTime.fromObject(
    {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: Math.floor(rest / 60),
      minute: rest % 60,
    },
    { zone },
  ).toMillis();
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
  zone: string,
  workingHours: WorkingHours,
  nonWorkingDays: ReadonlySet<LocalDay>,
): WorkingDayWindow[] {
  const weekdays = new Set<IsoWeekday>(workingHours.days);
  const out: WorkingDayWindow[] = [];
  for (let day = firstDay; day <= lastDay; day += 1) {
    if (!weekdays.has(weekdayOfLocalDay(day)) || nonWorkingDays.has(day)) continue;
    const from = Math.max(startMs, wallClockInstant(zone, day, workingHours.startMinutes));
    const to = Math.min(endMs, wallClockInstant(zone, day, workingHours.endMinutes));
    if (to > from) out.push({ day, localDate: dateOfLocalDay(day), startMs: from, endMs: to });
  }
  return out;
}
