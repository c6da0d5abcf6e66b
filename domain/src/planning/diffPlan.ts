/**
 * Re-sync (DESIGN §4): the new plan against the work orders the task already has, matched by `pfb_sourcekey`.
 *
 * - A planned key with no work order: create.
 * - A planned key whose work order has another window or effort: update. A cancelled work order whose key is
 *   planned again is also an update (the bridge upserts it by key and reactivates it) rather than a new record: the
 *   alternate key on `pfb_sourcekey` allows one work order per key, and reusing it keeps the mapping and history.
 * - A work order whose key is no longer planned: cancel, unless work on it has started (a booking In Progress,
 *   Complete, Incomplete…): then it is kept as it is (`keptStarted`), never cancelled. Already cancelled ones are left.
 * Windows compare as instants and efforts in hundredths of an hour, so `…:00.000Z` read back from Dataverse equals
 * the planner's `…:00Z`.
 */
import { toCentiHours } from './effortAllocation';
import { PlanningError } from './planningError';
import type { ExistingSlot, Plan, PlanDiff, PlannedSlot } from './types';

function sameInstant(a: string, b: string): boolean {
  const x = Date.parse(a);
  return !Number.isNaN(x) && x === Date.parse(b);
}

function isUnchanged(previous: ExistingSlot, slot: PlannedSlot): boolean {
  return (
    toCentiHours(previous.effortHours) === toCentiHours(slot.effortHours) &&
    sameInstant(previous.windowStart, slot.windowStart) &&
    sameInstant(previous.windowEnd, slot.windowEnd)
  );
}

/** Slot order for keys `<taskId>:<slotIndex>`; other keys after them, by text. */
function byKeyOrder(a: ExistingSlot, b: ExistingSlot): number {
  const index = (key: string): number => {
    const n = Number(key.slice(key.lastIndexOf(':') + 1));
    return Number.isInteger(n) ? n : Number.POSITIVE_INFINITY;
  };
  const d = index(a.key) - index(b.key);
  if (d !== 0 && !Number.isNaN(d)) return d;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export function diffPlan(existing: readonly ExistingSlot[], next: Plan): PlanDiff {
  const byKey = new Map<string, ExistingSlot>();
  for (const e of existing) {
    if (byKey.has(e.key)) {
      throw new PlanningError(
        'duplicateExistingKey',
        next.taskId,
        `Task ${next.taskId} has two work orders with source key '${e.key}'; the key must be unique. Remove the duplicate before re-syncing.`,
      );
    }
    byKey.set(e.key, e);
  }

  const diff: PlanDiff = { create: [], update: [], unchanged: [], cancel: [], keptStarted: [] };
  const planned = new Set<string>();
  for (const slot of next.slots) {
    planned.add(slot.key);
    const previous = byKey.get(slot.key);
    if (previous === undefined) diff.create.push(slot);
    else if (previous.cancelled === true || !isUnchanged(previous, slot)) diff.update.push({ slot, previous });
    else diff.unchanged.push(slot);
  }
  for (const e of [...byKey.values()].sort(byKeyOrder)) {
    if (planned.has(e.key) || e.cancelled === true) continue;
    if (e.started) diff.keptStarted.push(e);
    else diff.cancel.push(e);
  }
  return diff;
}
