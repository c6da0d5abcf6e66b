/**
 * Number and date formatting for values the platform did not format for us. Values read through the Web API carry
 * the platform's formatted value (user locale and time zone) and controls prefer it; these cover computed figures
 * (sums, differences) with the user's locale from `context.userSettings`.
 */
export interface Formatter {
  /** Hours with up to two decimals, e.g. "12.5". */
  hours(value: number): string;
  /** Signed hours, e.g. "+2.5" / "−1". */
  signedHours(value: number): string;
  /** A percentage with no decimals by default, e.g. "45%". */
  percent(value: number, decimals?: number): string;
  signedPercent(value: number): string;
  integer(value: number): string;
  /** Date and time, short. */
  dateTime(value: Date): string;
  /** Time of day, short. */
  time(value: Date): string;
}

const MINUS = '\u2212';

export function createFormatter(locale: string, timeZone?: string): Formatter {
  const hours = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const pct = (d: number): Intl.NumberFormat => new Intl.NumberFormat(locale, { maximumFractionDigits: d, minimumFractionDigits: 0 });
  const pct0 = pct(0);
  const pct1 = pct(1);
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const dt = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone });
  const tm = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone });
  const sign = (v: number, text: string): string => (v > 0 ? `+${text}` : v < 0 ? `${MINUS}${text}` : text);
  return {
    hours: (v) => hours.format(v),
    signedHours: (v) => sign(v, hours.format(Math.abs(v))),
    percent: (v, d = 0) => `${(d === 0 ? pct0 : d === 1 ? pct1 : pct(d)).format(v)}%`,
    signedPercent: (v) => sign(v, `${pct1.format(Math.abs(v))}%`),
    integer: (v) => int.format(v),
    dateTime: (v) => dt.format(v),
    time: (v) => tm.format(v),
  };
}

/** BCP 47 tag for a Dataverse language id (LCID); the few the product ships strings for, else the browser's. */
export function localeOf(languageId: number | undefined): string {
  const known: Record<number, string> = { 1033: 'en-US', 2057: 'en-GB', 3081: 'en-AU', 1031: 'de-DE', 1036: 'fr-FR', 3082: 'es-ES', 1043: 'nl-NL' };
  if (languageId !== undefined && known[languageId]) return known[languageId] as string;
  return typeof navigator !== 'undefined' && navigator.language ? navigator.language : 'en-US';
}

/** ISO text or Date to Date (null when absent or invalid). */
export function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string' || value === '') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}
