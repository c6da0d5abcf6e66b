/**
 * The earliest (or latest) of the children's times, with how many children hold it. Replacing one child's value
 * is O(1) — except when the only holder of the extreme moves away from it, where the next one can only be found by
 * looking at the children again (`undefined` below; the caller rescans). That happens: a booking's actual start moves
 * LATER when its first In Progress arrives after its Onsite (start falls back to Onsite until then), and an end moves
 * when the Complete/Incomplete winner changes. Each booking makes such a move at most a few times in its life.
 */

export interface Extreme {
  /** UTC ISO time, or null when no child has one. */
  readonly value: string | null;
  /** Children whose value equals `value` (0 when null). */
  readonly count: number;
}

export const NO_EXTREME: Extreme = { value: null, count: 0 };

/** > 0 when `a` is more extreme than `b` in the given direction. */
function beats(a: string, b: string, dir: 'min' | 'max'): boolean {
  return dir === 'min' ? a < b : a > b;
}

/** One child's value changes from `before` to `after` (null: absent). undefined: rescan the children. */
export function replaceExtreme(e: Extreme, before: string | null, after: string | null, dir: 'min' | 'max'): Extreme | undefined {
  if (before === after) return e;
  let { value, count } = e;
  if (after !== null) {
    if (value === null || beats(after, value, dir)) {
      value = after;
      count = 1;
    } else if (after === value) count += 1;
  }
  if (before !== null && before === value) {
    count -= 1;
    if (count === 0) return undefined;
  }
  return value === e.value && count === e.count ? e : { value, count };
}

/** The extreme of a list of values, from scratch. */
export function extremeOf(values: Iterable<string | null>, dir: 'min' | 'max'): Extreme {
  let value: string | null = null;
  let count = 0;
  for (const v of values) {
    if (v === null) continue;
    if (value === null || beats(v, value, dir)) {
      value = v;
      count = 1;
    } else if (v === value) count += 1;
  }
  return { value, count };
}
