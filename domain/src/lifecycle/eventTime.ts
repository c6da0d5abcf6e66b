/**
 * Event times. Mobility devices send local wall-clock times WITH their UTC offset; the domain keeps every instant as
 * UTC ISO 8601 to the second (`2027-02-28T22:30:00Z`), so times compare as plain strings and effort comes out in
 * whole seconds (exact sums in the roll-ups). Fractions of a second are truncated. Dataverse date-time columns hold
 * 1753-01-01 to 9999-12-31 and store seconds, so nothing finer would survive the write anyway.
 */

export type EventTimeResult = { ok: true; utc: string; epochSeconds: number } | { ok: false; problem: string };

const EXAMPLE = '2027-03-01T09:30:00+11:00';
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const MIN_EPOCH_SECONDS = Date.UTC(1753, 0, 1) / 1000;
const MAX_EPOCH_SECONDS = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000;
const MAX_OFFSET_MINUTES = 14 * 60;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Reads an ISO 8601 date-time with a UTC offset; the problem says what to send instead. */
export function parseEventTime(text: unknown, field = 'occurredAt'): EventTimeResult {
  if (typeof text !== 'string' || text.length === 0) {
    return { ok: false, problem: `${field} is missing; send the moment as ISO 8601 with the site's UTC offset, e.g. ${EXAMPLE}.` };
  }
  const m = SHAPE.exec(text);
  if (!m) {
    return { ok: false, problem: `${field} '${text}' is not an ISO 8601 date and time; send it like ${EXAMPLE}.` };
  }
  const [, y, mo, d, h, mi, s, offset] = m;
  if (offset === undefined) {
    return {
      ok: false,
      problem: `${field} '${text}' has no UTC offset, so the moment is ambiguous; add the site's offset, e.g. ${EXAMPLE} (or Z for UTC).`,
    };
  }
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, problem: `${field} '${text}' is not a real date and time (month 1–12, day within the month, hours 00–23, minutes and seconds 00–59).` };
  }
  if (year < 1753) {
    return { ok: false, problem: `${field} '${text}' is outside the dates Dataverse can store (1753-01-01 to 9999-12-31 UTC).` };
  }
  let offsetMinutes = 0;
  if (offset !== 'Z') {
    const digits = offset.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (om > 59 || oh * 60 + om > MAX_OFFSET_MINUTES) {
      return { ok: false, problem: `${field} '${text}' has the offset ${offset}; UTC offsets run from -14:00 to +14:00.` };
    }
    offsetMinutes = (offset.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const epochSeconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - offsetMinutes * 60;
  if (epochSeconds < MIN_EPOCH_SECONDS || epochSeconds > MAX_EPOCH_SECONDS) {
    return { ok: false, problem: `${field} '${text}' is outside the dates Dataverse can store (1753-01-01 to 9999-12-31 UTC).` };
  }
  return { ok: true, utc: utcFromEpochSeconds(epochSeconds), epochSeconds };
}

/** The UTC ISO form to the second; throws with the parse problem when the text is not a valid offset date-time. */
export function normaliseEventTime(text: string): string {
  const r = parseEventTime(text);
  if (!r.ok) throw new RangeError(r.problem);
  return r.utc;
}

export function utcFromEpochSeconds(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 19)}Z`;
}

/** Seconds from one normalised UTC time to another (negative when `to` is earlier). */
export function secondsBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 1000;
}
