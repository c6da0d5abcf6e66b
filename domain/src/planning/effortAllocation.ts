/**
 * Effort arithmetic in whole hundredths of an hour ("centi-hours", 36 s). `pfb_plannedeffort` is a decimal with 2
 * places, so every slot effort is a whole number of hundredths: allocating in that unit lets the slots add up to
 * the task effort exactly, which whole minutes cannot do (1.01 h is 60.6 min).
 */

/** Hours → hundredths, rounding half away from zero on the decimal value (1.005 h → 101, not 100). */
export function toCentiHours(hours: number): number {
  return Math.round(Number((hours * 100).toPrecision(12)));
}

export function toHours(centiHours: number): number {
  return centiHours / 100;
}

/** The share of part `index` when `total` is split into `parts` equal whole shares, the remainder on the last part. */
export function shareOf(total: number, parts: number, index: number): number {
  const base = Math.floor(total / parts);
  return index === parts - 1 ? total - base * (parts - 1) : base;
}

/** The smallest share `shareOf(total, parts, ·)` gives. */
export function smallestShare(total: number, parts: number): number {
  return Math.floor(total / parts);
}

export interface RoleEffort {
  readonly count: number;
  /** The role's own effort, when it has one. */
  readonly centiHours?: number;
}

export type UnitEffortResult =
  | { ok: true; units: number[][] }
  | { ok: false; reason: 'rolesExceedTask'; givenCentiHours: number }
  | { ok: false; reason: 'rolesDifferFromTask'; givenCentiHours: number };

/**
 * Each role unit's effort: a role with its own effort shares it among its units; the rest of the task effort is
 * shared evenly among the units of the roles without one. Remainders go to the last unit. `units[r][n]` is the
 * effort of unit n+1 of role r; the whole adds up to `taskCentiHours` exactly.
 */
export function unitEfforts(taskCentiHours: number, roles: readonly RoleEffort[]): UnitEffortResult {
  const given = roles.reduce((sum, r) => sum + (r.centiHours ?? 0), 0);
  const openUnits = roles.reduce((sum, r) => sum + (r.centiHours === undefined ? r.count : 0), 0);
  if (openUnits === 0 && given !== taskCentiHours) return { ok: false, reason: 'rolesDifferFromTask', givenCentiHours: given };
  if (openUnits > 0 && given >= taskCentiHours) return { ok: false, reason: 'rolesExceedTask', givenCentiHours: given };
  const rest = taskCentiHours - given;
  let openIndex = 0;
  const units = roles.map((r) =>
    Array.from({ length: r.count }, (_, n) => {
      if (r.centiHours !== undefined) return shareOf(r.centiHours, r.count, n);
      const share = shareOf(rest, openUnits, openIndex);
      openIndex += 1;
      return share;
    }),
  );
  return { ok: true, units };
}
