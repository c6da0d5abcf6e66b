/**
 * What the bridge writes on the pfb_tasksync rows themselves. Written so the webhook on pfb_tasksync cannot keep
 * the bridge busy with its own echoes (a step filtered on pfb_syncstatus fires on every write that carries it, even
 * with an unchanged value):
 * - a row already Syncing (a retried message) gets only `pfb_attempts`, not `pfb_syncstatus` again;
 * - a Failed row that fails again with the same text is not written at all;
 * - a Cancelled row never gets `pfb_syncstatus`;
 * and the echoes of Syncing, Synced and Failed writes find the row Synced (skipped) or fail again identically.
 */
import { FieldStatus, SyncStatus, pfb_tasksync, type Plan } from '@pfb/domain';
import type { Row } from './batchRead';
import { TASK_SYNC, primaryKey } from './names';
import type { TaskSyncRow } from './readSyncState';

/** pfb_lasterror is a 4,000-character memo. */
const MAX_ERROR = 4000;
export const fitLastError = (text: string): string => (text.length <= MAX_ERROR ? text : `${text.slice(0, MAX_ERROR - 1)}…`);

const TASK_SYNC_ID = primaryKey(pfb_tasksync).logicalName;
const idOf = (row: TaskSyncRow): Row => ({ [TASK_SYNC_ID]: row.id });

export function syncingTarget(row: TaskSyncRow): Row {
  const target: Row = { ...idOf(row), [TASK_SYNC.pfb_attempts.logicalName]: row.attempts + 1 };
  if (row.status !== SyncStatus.Syncing) target[TASK_SYNC.pfb_syncstatus.logicalName] = SyncStatus.Syncing;
  return target;
}

/** The Failed write, or undefined when the row already says exactly this. `countAttempt` for a failure found before marking. */
export function failedTarget(row: TaskSyncRow, reason: string, countAttempt: boolean): Row | undefined {
  const text = fitLastError(reason);
  if (row.status === SyncStatus.Failed && row.lastError === text) return undefined;
  const target: Row = { ...idOf(row), [TASK_SYNC.pfb_syncstatus.logicalName]: SyncStatus.Failed, [TASK_SYNC.pfb_lasterror.logicalName]: text };
  if (countAttempt) target[TASK_SYNC.pfb_attempts.logicalName] = row.attempts + 1;
  return target;
}

export function syncedTarget(row: TaskSyncRow, plan: Plan, now: Date): Row {
  const target: Row = {
    ...idOf(row),
    [TASK_SYNC.pfb_syncstatus.logicalName]: SyncStatus.Synced,
    [TASK_SYNC.pfb_lastsyncedon.logicalName]: now.toISOString(),
    [TASK_SYNC.pfb_scenario.logicalName]: plan.scenario,
    [TASK_SYNC.pfb_plannedworkorders.logicalName]: plan.slots.length,
    [TASK_SYNC.pfb_plannedeffort.logicalName]: plan.plannedEffortHours,
    [TASK_SYNC.pfb_plannedstart.logicalName]: plan.plannedStart,
    [TASK_SYNC.pfb_plannedend.logicalName]: plan.plannedEnd,
    [TASK_SYNC.pfb_planfingerprint.logicalName]: plan.fingerprint,
    [TASK_SYNC.pfb_lasterror.logicalName]: null,
  };
  if (row.fieldStatus === null) target[TASK_SYNC.pfb_fieldstatus.logicalName] = FieldStatus.NotStarted;
  return target;
}

/**
 * A Cancelled row after its work orders were cancelled: when, and which started ones were kept. Undefined when this
 * run cancelled nothing and the row already says the same (a duplicate message).
 */
export function cancelledTarget(row: TaskSyncRow, cancelled: number, keptStartedNames: readonly string[], now: Date): Row | undefined {
  const note =
    keptStartedNames.length > 0
      ? fitLastError(`${keptStartedNames.length} work order(s) were not cancelled because work on them has started: ${keptStartedNames.join(', ')}. Complete or cancel them in Field Service.`)
      : null;
  if (cancelled === 0 && row.lastError === note) return undefined;
  return {
    ...idOf(row),
    [TASK_SYNC.pfb_lastsyncedon.logicalName]: now.toISOString(),
    [TASK_SYNC.pfb_lasterror.logicalName]: note,
  };
}
