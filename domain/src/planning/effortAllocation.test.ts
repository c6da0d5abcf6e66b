import { shareOf, toCentiHours, unitEfforts } from './effortAllocation';

describe('effort in hundredths of an hour', () => {
  it.each([
    [8, 800],
    [0.1 + 0.2, 30],
    [1.01, 101],
    [1.005, 101],
    [2.675, 268],
    [21431.37, 2143137],
  ])('reads %p h as %p hundredths', (hours, expected) => {
    expect(toCentiHours(hours)).toBe(expected);
  });

  it('splits evenly with the remainder on the last part', () => {
    expect([0, 1, 2].map((i) => shareOf(1000, 3, i))).toEqual([333, 333, 334]);
    expect([0, 1, 2, 3].map((i) => shareOf(3, 4, i))).toEqual([0, 0, 0, 3]);
  });

  it("gives roles with their own effort that effort and shares the rest among the others' units", () => {
    expect(unitEfforts(2000, [{ count: 2 }, { count: 1, centiHours: 450 }, { count: 1 }])).toEqual({ ok: true, units: [[516, 516], [450], [518]] });
    expect(unitEfforts(900, [{ count: 2, centiHours: 900 }])).toEqual({ ok: true, units: [[450, 450]] });
  });

  it('says when role efforts leave nothing or do not add up', () => {
    expect(unitEfforts(800, [{ count: 1, centiHours: 800 }, { count: 1 }])).toEqual({ ok: false, reason: 'rolesExceedTask', givenCentiHours: 800 });
    expect(unitEfforts(800, [{ count: 1, centiHours: 700 }])).toEqual({ ok: false, reason: 'rolesDifferFromTask', givenCentiHours: 700 });
  });
});
