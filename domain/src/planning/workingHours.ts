/**
 * The working-hours template of a project (`msdyn_project.pfb_workinghours`), e.g. `Mon-Fri 08:00-17:00` or
 * `Mon-Thu,Sat 07:00-15:30`: the weekdays field work may be planned on and the local hours of a working day.
 */

/** ISO weekdays: 1 = Monday … 7 = Sunday (Luxon's `weekday`). */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface WorkingHours {
  readonly days: readonly IsoWeekday[];
  /** Minutes after local midnight. */
  readonly startMinutes: number;
  readonly endMinutes: number;
}

export const DEFAULT_WORKING_HOURS_TEXT = 'Mon-Fri 08:00-17:00';

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export type WorkingHoursResult = { ok: true; value: WorkingHours } | { ok: false; problem: string };

function dayIndex(name: string): IsoWeekday | undefined {
  const i = DAY_NAMES.findIndex((d) => d.toLowerCase() === name.trim().toLowerCase().slice(0, 3));
  return i < 0 || name.trim().length < 3 ? undefined : ((i + 1) as IsoWeekday);
}

function minutes(hhmm: string): number | undefined {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm.trim());
  if (!m) return undefined;
  const total = Number(m[1]) * 60 + Number(m[2]);
  return total <= 24 * 60 ? total : undefined;
}

/** Parses a template; the problem says what is wrong in words a coordinator can act on. */
export function parseWorkingHours(text: string): WorkingHoursResult {
  const m = /^\s*([A-Za-z,\s-]+?)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(text);
  if (!m) return { ok: false, problem: `'${text}' is not a working-hours template; write it like '${DEFAULT_WORKING_HOURS_TEXT}'.` };
  const days = new Set<IsoWeekday>();
  for (const part of (m[1] as string).split(',')) {
    const [from, to] = part.split('-');
    const a = dayIndex(from ?? '');
    const b = to === undefined ? a : dayIndex(to);
    if (a === undefined || b === undefined) return { ok: false, problem: `'${part.trim()}' is not a day or day range (use Mon, Tue, … Sun, e.g. Mon-Fri).` };
    if (b < a) return { ok: false, problem: `The day range '${part.trim()}' runs backwards; write it from the earlier day (e.g. Mon-Fri).` };
    for (let d = a; d <= b; d += 1) days.add(d as IsoWeekday);
  }
  const start = minutes((m[2] as string).padStart(5, '0'));
  const end = minutes((m[3] as string).padStart(5, '0'));
  if (start === undefined || end === undefined) return { ok: false, problem: `The hours in '${text}' must be times between 00:00 and 24:00.` };
  if (end <= start) return { ok: false, problem: `The working day in '${text}' ends before it starts.` };
  return { ok: true, value: { days: [...days].sort((x, y) => x - y), startMinutes: start, endMinutes: end } };
}

export function formatWorkingHours(w: WorkingHours): string {
  const hhmm = (n: number): string => `${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
  const ranges: string[] = [];
  let runStart: IsoWeekday | undefined;
  let prev: IsoWeekday | undefined;
  for (const d of [...w.days, undefined]) {
    if (d !== undefined && prev !== undefined && d === prev + 1) {
      prev = d;
      continue;
    }
    if (runStart !== undefined && prev !== undefined) {
      ranges.push(runStart === prev ? DAY_NAMES[runStart - 1] as string : `${DAY_NAMES[runStart - 1]}-${DAY_NAMES[prev - 1]}`);
    }
    runStart = d;
    prev = d;
  }
  return `${ranges.join(',')} ${hhmm(w.startMinutes)}-${hhmm(w.endMinutes)}`;
}
