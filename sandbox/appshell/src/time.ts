/**
 * Times on the technician page are the site's wall-clock times (a ticket's site time zone, IANA), as a technician's
 * phone shows them; events carry them as ISO 8601 with the site's offset at that moment, as the mobility contract
 * asks. Intl knows the zones' rules, including daylight saving; these helpers only convert.
 */

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

function wallParts(ms: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

/** The zone's offset from UTC at an instant, in minutes (+600 for Sydney in winter, +660 in summer). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const w = wallParts(ms, timeZone);
  return Math.round((Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(ms / 1000) * 1000) / 60_000);
}

const two = (n: number): string => String(n).padStart(2, '0');

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${two(Math.floor(m / 60))}:${two(m % 60)}`;
}

/** An instant as a `datetime-local` value (YYYY-MM-DDTHH:mm) in the zone. */
export function localInputValue(ms: number, timeZone: string): string {
  const w = wallParts(ms, timeZone);
  return `${w.y}-${two(w.mo)}-${two(w.d)}T${two(w.h)}:${two(w.mi)}`;
}

/**
 * A wall-clock time in the zone (YYYY-MM-DDTHH:mm) → the instant, as ISO 8601 with the zone's offset then, e.g.
 * 2027-04-06T09:30:00+10:00. A time the clocks skip (spring forward) moves on by the gap, as a phone would show it;
 * a time that happens twice (fall back) is its first occurrence.
 */
export function zonedIso(local: string, timeZone: string): string {
  const m = LOCAL.exec(local);
  if (!m) throw new RangeError(`'${local}' is not a date and time (YYYY-MM-DDTHH:mm).`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // The offsets in force within a day either side (a change of clocks is rarely closer than that to another): each
  // gives a candidate instant; those that show this wall time are its occurrences, and the earliest wins.
  const offsets = new Set([-24, -12, 0, 12, 24].map((hours) => offsetMinutes(wall + hours * 3_600_000, timeZone)));
  const candidates = [...offsets]
    .map((offset) => wall - offset * 60_000)
    .filter((t) => localInputValue(t, timeZone) === local)
    .sort((a, b) => a - b);
  // None: the clocks skip this time; the offset before the change (the smaller) moves it on by the gap.
  const at = candidates[0] ?? wall - Math.min(...offsets) * 60_000;
  return `${localInputValue(at, timeZone)}:00${offsetText(offsetMinutes(at, timeZone))}`;
}

/** Hours between two ISO times (2 decimals). */
export function hoursBetween(fromIso: string, toIso: string): number {
  return Math.round(((Date.parse(toIso) - Date.parse(fromIso)) / 3_600_000) * 100) / 100;
}

/** A readable date and time in the zone, e.g. "Tue, Apr 6, 2027, 09:30". */
export function formatInZone(iso: string, timeZone: string, locale = 'en-US'): string {
  return new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}
