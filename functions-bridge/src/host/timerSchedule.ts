/**
 * The local host's reading of a timer function's NCRONTAB schedule (six fields: second, minute, hour, day, month,
 * day of week — the Functions timer trigger's format). The local host runs timers at a fixed interval, so it takes
 * the forms that mean one: `*\/N * * * * *` (every N seconds), `0 *\/N * * * *` (every N minutes) and
 * `0 0 *\/N * * *` (every N hours). Anything else is refused with the forms it takes; in Azure the host reads any
 * NCRONTAB.
 */
const EVERY = /^\*\/(\d+)$/;

export function intervalOfSchedule(schedule: string): number {
  const fields = schedule.trim().split(/\s+/);
  const refuse = (): never => {
    throw new Error(`The local host runs timers at fixed intervals: use "*/N * * * * *" (seconds), "0 */N * * * *" (minutes) or "0 0 */N * * *" (hours), not "${schedule}".`);
  };
  if (fields.length !== 6 || fields.slice(3).some((f) => f !== '*')) return refuse();
  const [second, minute, hour] = fields as [string, string, string];
  const n = (field: string): number => {
    const m = EVERY.exec(field);
    const value = m ? Number(m[1]) : NaN;
    return Number.isInteger(value) && value > 0 ? value : refuse();
  };
  if (minute === '*' && hour === '*') return n(second) * 1000;
  if (second === '0' && hour === '*') return n(minute) * 60_000;
  if (second === '0' && minute === '0') return n(hour) * 3_600_000;
  return refuse();
}
