/**
 * Roll-ups add whole seconds (integers), never floating hours: integer sums are exact and associative, so an
 * incremental roll-up (add after, subtract before) equals a full recompute and does not depend on delivery order.
 * Hours, percentages and rounding to the columns' 2 decimals happen only at output.
 */

/** Whole seconds of an hours figure (a planned effort column holds 2 decimals = multiples of 36 s). */
export function secondsFromHours(hours: number, what: string): number {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`${what} must be 0 or more hours, not ${hours}.`);
  return Math.round(hours * 3600);
}

/** Round half away from zero to 2 decimals of `numerator / denominator × scale`, from integers where possible. */
export function round2(numerator: number, denominator: number, scale = 1): number {
  const hundredths = (Math.abs(numerator) * scale * 100) / denominator;
  const r = Math.round(hundredths) / 100;
  return numerator < 0 && r !== 0 ? -r : r;
}

/** Hours to 2 decimals from whole seconds. */
export function hoursFromSeconds(seconds: number): number {
  return round2(seconds, 3600);
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
