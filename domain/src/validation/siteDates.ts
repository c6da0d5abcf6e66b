/**
 * A task's dates on its site's calendar, read exactly as the planner reads them (planning/siteCalendar: local days
 * since 1970-01-01, wall-clock times through its `siteClock`), so that a task validation lets through is never
 * refused by the planner for its dates. Luxon's zone data does the offsets; nothing here builds a DateTime, because
 * 250 tasks must validate in a few milliseconds.
 */
import { IANAZone, type Zone } from 'luxon';
import { siteClock, weekdayOfLocalDay, type LocalDay } from '../planning/siteCalendar';
import type { WorkingHours } from '../planning/workingHours';

/** An instant with its wall-clock reading at the site. */
export interface LocalInstant {
  readonly ms: number;
  /** Local calendar year. */
  readonly year: number;
  readonly day: LocalDay;
  /** Local `YYYY-MM-DD`. */
  readonly date: string;
  /** Local `YYYY-MM-DDTHH:mm`. */
  readonly dateTime: string;
}

export interface SiteDates {
  readonly zoneName: string;
  /** An ISO 8601 date-time with its offset (`Z` or `±hh:mm`), as the Web API returns it; null otherwise. */
  read(iso: string): LocalInstant | null;
  /** Site-local calendar days the task spans, both ends included, counted as the planner counts them. */
  spanDays(start: LocalInstant, end: LocalInstant): number;
  /** Whether any working period (a template weekday from its start to its end time) overlaps the task. */
  hasWorkingTime(start: LocalInstant, end: LocalInstant, hours: WorkingHours): boolean;
}

/** Same rule as the planner: a date-time must carry its offset, since a bare local time would be read in the wrong zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function siteDates(zoneName: string): SiteDates {
  const zone: Zone = IANAZone.create(zoneName);
  const wallClock = siteClock(zone);
  const cache = new Map<string, LocalInstant | null>();
  const samples = new Map<number, number>();

  /**
   * The zone's offset (minutes) at an instant. Asking the zone costs an Intl formatToParts call, so it is sampled
   * once per UTC day: under the planner's own assumption (siteClock: a zone changes offset at most once in three
   * days), equal offsets at both ends of a day hold all day, and only a day with a change asks about the instant.
   */
  const offsetAt = (ms: number): number => {
    const day = Math.floor(ms / MS_PER_DAY);
    const sample = (d: number): number => {
      let offset = samples.get(d);
      if (offset === undefined) {
        offset = zone.offset(d * MS_PER_DAY);
        samples.set(d, offset);
      }
      return offset;
    };
    const atStart = sample(day);
    return atStart === sample(day + 1) ? atStart : zone.offset(ms);
  };
  /** The site-local day of an instant, as planning/siteCalendar's localDayAt computes it. */
  const localDayAt = (ms: number): LocalDay => Math.floor((ms + offsetAt(ms) * MS_PER_MINUTE) / MS_PER_DAY);

  const read = (iso: string): LocalInstant | null => {
    const text = iso.trim();
    const ms = INSTANT.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(ms)) return null;
    const local = new Date(ms + offsetAt(ms) * MS_PER_MINUTE);
    const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
    return { ms, year: local.getUTCFullYear(), day: localDayAt(ms), date, dateTime: `${date}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}` };
  };

  return {
    zoneName,
    read(iso) {
      let hit = cache.get(iso);
      if (hit === undefined) {
        hit = read(iso);
        cache.set(iso, hit);
      }
      return hit;
    },
    // The planner's last day is the day of the last second before the due time: a task due at midnight ends the day before.
    spanDays: (start, end) => localDayAt(end.ms - 1000) - start.day + 1,
    hasWorkingTime(start, end, hours) {
      // Stops at the first working day that overlaps, or that opens after the task ends: a week of days at most.
      for (let day = start.day; day <= end.day; day += 1) {
        const weekday = weekdayOfLocalDay(day);
        if (!hours.days.some((d) => d === weekday)) continue;
        const open = wallClock(day, hours.startMinutes);
        if (open >= end.ms) return false;
        // A real overlap, so a task whose start and due date are the same moment (a milestone) has no working time.
        if (Math.max(open, start.ms) < Math.min(wallClock(day, hours.endMinutes), end.ms)) return true;
      }
      return false;
    },
  };
}
