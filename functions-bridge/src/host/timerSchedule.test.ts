import { intervalOfSchedule } from './timerSchedule';

it.each([
  ['*/10 * * * * *', 10_000],
  ['0 */5 * * * *', 300_000],
  ['0 0 */2 * * *', 7_200_000],
])('%s runs every %i ms', (schedule, ms) => expect(intervalOfSchedule(schedule)).toBe(ms));

it.each(['0 30 9 * * *', '0 */5 * * 1-5 *', '*/0 * * * * *', '* * * * *', 'every 5 minutes'])('refuses %s, naming the forms it takes', (schedule) => {
  expect(() => intervalOfSchedule(schedule)).toThrow(/fixed intervals: use/);
});
