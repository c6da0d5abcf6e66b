/** Moving an extreme, rescanning the children only when the O(1) update cannot know the answer (see extreme.ts). */
import { extremeOf, replaceExtreme, type Extreme } from './extreme';

/** Thrown when an incremental update needs the parent's children and the caller did not pass them. */
export class RescanRequiredError extends Error {
  constructor(what: string) {
    super(
      `The ${what} moved away from the only child that held it, so the next one is not known from sums; pass the children ` +
        '(the rescan argument) or rebuild the aggregate with its recompute function.',
    );
    this.name = 'RescanRequiredError';
  }
}

export function moveExtreme<C>(
  e: Extreme,
  before: string | null,
  after: string | null,
  dir: 'min' | 'max',
  children: (() => Iterable<C>) | undefined,
  pick: (child: C) => string | null,
  what: string,
): Extreme {
  const moved = replaceExtreme(e, before, after, dir);
  if (moved) return moved;
  if (!children) throw new RescanRequiredError(what);
  const values: (string | null)[] = [];
  for (const c of children()) values.push(pick(c));
  return extremeOf(values, dir);
}
