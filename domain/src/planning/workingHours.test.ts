import { formatWorkingHours, parseWorkingHours } from './workingHours';

describe('working-hours templates', () => {
  it('reads the default Monday-to-Friday template', () => {
    expect(parseWorkingHours('Mon-Fri 08:00-17:00')).toEqual({ ok: true, value: { days: [1, 2, 3, 4, 5], startMinutes: 480, endMinutes: 1020 } });
  });

  it('reads lists, single days and short hours, and prints them back', () => {
    const r = parseWorkingHours('Mon-Thu,Sat 7:00-15:30');
    expect(r).toEqual({ ok: true, value: { days: [1, 2, 3, 4, 6], startMinutes: 420, endMinutes: 930 } });
    if (r.ok) expect(formatWorkingHours(r.value)).toBe('Mon-Thu,Sat 07:00-15:30');
  });

  it.each([
    ['weekdays 9-5', /not a working-hours template/],
    ['Mon-Fri 17:00-08:00', /ends before it starts/],
    ['Fri-Mon 08:00-17:00', /runs backwards/],
    ['Mon-Fry 08:00-17:00', /not a day or day range/],
    ['Mon-Fri 08:00-25:00', /between 00:00 and 24:00/],
  ])('explains what is wrong with %s', (text, problem) => {
    const r = parseWorkingHours(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(problem);
  });
});
