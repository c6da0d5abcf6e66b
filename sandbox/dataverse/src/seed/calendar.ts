/**
 * Working-day arithmetic for seed schedules. Days are whole days since 1970-01-01 (a Thursday); a working day is
 * Monday to Friday (no public holidays). Wall-clock times in a site's IANA zone become UTC instants through Intl,
 * so a task that starts 08:00 in Sydney is stored 21:00Z or 22:00Z depending on daylight saving, as Dataverse
 * stores a UserLocal date-time.
 */

export type Day = number;

const MS_PER_DAY = 86_400_000;

/** The working-hours template every seeded project uses (pfb_workinghours) and its hours per working day. */
export const WORKING_HOURS = 'Mon-Fri 08:00-17:00';
export const WORKDAY_START_MINUTES = 8 * 60;
export const WORKDAY_END_MINUTES = 17 * 60;
/** 08:00–17:00 less an unpaid hour for lunch, as in the default Project Operations work hour template. */
export const HOURS_PER_DAY = 8;

export function dayOf(isoDate: string): Day {
  const ms = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`Not a date: ${isoDate}`);
  return ms / MS_PER_DAY;
}

export function isoDate(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function isWorkingDay(day: Day): boolean {
  const weekday = (day + 4) % 7; // 0 = Sunday
  return weekday !== 0 && weekday !== 6;
}

/** `day` itself when it is a working day, else the next one. */
export function nextWorkingDay(day: Day): Day {
  let d = day;
  while (!isWorkingDay(d)) d += 1;
  return d;
}

/** The working day `n` working days after `day` (n = 0: `day` rolled forward to a working day). */
export function addWorkingDays(day: Day, n: number): Day {
  let d = nextWorkingDay(day);
  for (let i = 0; i < n; i += 1) d = nextWorkingDay(d + 1);
  return d;
}

/** The working day `n` working days before `day`. */
export function subtractWorkingDays(day: Day, n: number): Day {
  let d = day;
  for (let i = 0; i < n; i += 1) {
    d -= 1;
    while (!isWorkingDay(d)) d -= 1;
  }
  return d;
}

/** Working days from `start` to `end`, both included (0 when end is before start). */
export function workingDaysBetween(start: Day, end: Day): number {
  let n = 0;
  for (let d = start; d <= end; d += 1) if (isWorkingDay(d)) n += 1;
  return n;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const instants = new Map<string, string>();

/** Minutes the zone is ahead of UTC at the instant `utcMs`. */
function offsetMinutes(zone: string, utcMs: number): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return Math.round((wall - utcMs) / 60_000);
}

/**
 * The UTC instant (`YYYY-MM-DDTHH:MM:SSZ`) of a wall-clock time on `day` in `zone`. Cached: a seed asks for the
 * same few hundred day/time pairs many thousands of times.
 */
export function zonedInstant(zone: string, day: Day, minutes: number): string {
  const key = `${zone}|${day}|${minutes}`;
  const hit = instants.get(key);
  if (hit) return hit;
  const wall = day * MS_PER_DAY + minutes * 60_000;
  // Two passes settle the offset on either side of a daylight-saving change.
  let utc = wall - offsetMinutes(zone, wall) * 60_000;
  utc = wall - offsetMinutes(zone, utc) * 60_000;
  const iso = new Date(utc).toISOString().replace('.000Z', 'Z');
  instants.set(key, iso);
  return iso;
}
