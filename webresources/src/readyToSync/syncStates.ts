/**
 * Which tasks each command applies to, by the pfb_syncstatus of the task's row (DESIGN §3; the bridge's handling of
 * each status is in functions-bridge/src/services/taskSync/syncTasks.ts):
 *
 * | status        | Ready to Sync (selection)      | Sync all ready tasks (project) | Cancel field work |
 * |---------------|--------------------------------|--------------------------------|-------------------|
 * | no row        | queued                         | queued                         | skipped           |
 * | Ready to Sync | skipped: already queued        | skipped                        | cancelled         |
 * | Syncing       | refused by validation (alreadySyncing) | skipped                | skipped: wait     |
 * | Synced        | queued again (re-plan, idempotent) | skipped: up to date        | cancelled         |
 * | Failed        | queued again                   | queued again                   | cancelled         |
 * | Out of Date   | queued again                   | queued again                   | cancelled         |
 * | Cancelled     | queued again                   | skipped: cancelled on purpose  | skipped           |
 *
 * Re-marking a Ready to Sync row is skipped rather than rewritten: the webhook step fires on every update that
 * carries pfb_syncstatus (filtering attributes match on the columns sent, not on a change), so a rewrite would send
 * the bridge a second message for nothing.
 */
import { SyncStatus } from '@pfb/domain';

export type SkipReason = 'alreadyQueued' | 'syncing' | 'synced' | 'cancelled' | 'notFound' | 'invalidId' | 'outsideProject';
export type CancelSkipReason = 'notInField' | 'alreadyCancelled' | 'syncingNow' | 'notFound' | 'invalidId';

type Status = number | null | undefined;

/** Ready to Sync on a selected task: null when it goes on to validation. */
export function selectionSkip(status: Status): SkipReason | null {
  return status === SyncStatus.ReadyToSync ? 'alreadyQueued' : null;
}

/** Sync all ready tasks: only tasks not yet in the field, or whose field plan failed or is out of date. */
export function projectSkip(status: Status): SkipReason | null {
  if (status === null || status === undefined || status === SyncStatus.Failed || status === SyncStatus.OutOfDate) return null;
  if (status === SyncStatus.ReadyToSync) return 'alreadyQueued';
  if (status === SyncStatus.Syncing) return 'syncing';
  if (status === SyncStatus.Synced) return 'synced';
  return 'cancelled';
}

/** The enable rule of Ready to Sync: at least one selected task the command would not skip or refuse for its state. */
export const readyToSyncApplies = (status: Status): boolean => status !== SyncStatus.ReadyToSync && status !== SyncStatus.Syncing;

/** The enable rule of Sync all ready tasks. */
export const projectSyncApplies = (status: Status): boolean => projectSkip(status) === null;

/** Cancel field work: rows that are queued, in the field, failed or out of date. */
export function cancelSkip(status: Status): CancelSkipReason | null {
  if (status === null || status === undefined) return 'notInField';
  if (status === SyncStatus.Cancelled) return 'alreadyCancelled';
  // The bridge is writing this row now; a cancel written under it could be overwritten by its Synced outcome.
  if (status === SyncStatus.Syncing) return 'syncingNow';
  return null;
}

export const cancelApplies = (status: Status): boolean => cancelSkip(status) === null;
