/**
 * The one write of Ready to Sync: an UpsertMultiple of pfb_tasksync rows, each addressed by its alternate key on the
 * task (`@odata.id: pfb_tasksyncs(pfb_projecttask=<task>)`, UpsertMultiple reference), so a task gets exactly one
 * row whether it had one or not, whoever wrote it in between. The requests go in one change set: all rows or none.
 * Key values are not repeated in the body ("on create they're taken from the URL", use-upsert-insert-update-record).
 */
import { SyncStatus } from '@pfb/domain';
import { BULK_CHUNK, TASK_SYNC, addressByLookupKey, bind, chunk, odataType, pfb_tasksync, primaryKey } from '../names';
import type { Row } from '../platform/ports';
import { UpdateMultipleRequest, UpsertMultipleRequest } from '../platform/requests';
import type { TaskRecord } from './taskRows';

const NAME_MAX = TASK_SYNC.pfb_name.maxLength ?? 400;

/** pfb_name holds the task's name; Project allows longer names than our column (450 vs 400): cut with an ellipsis. */
export function rowName(taskName: string): string {
  return taskName.length <= NAME_MAX ? taskName : `${taskName.slice(0, NAME_MAX - 1)}…`;
}

export interface Requester {
  /** systemuserid of the coordinator. */
  readonly userId: string;
  readonly requestedOn: Date;
}

/** One Ready to Sync row per task: status Ready to Sync, requested by/on, the previous error cleared. */
export function readyToSyncTargets(records: readonly TaskRecord[], requester: Requester): Row[] {
  return records.map((r) => ({
    '@odata.type': odataType(pfb_tasksync),
    '@odata.id': addressByLookupKey(pfb_tasksync, TASK_SYNC.pfb_projecttask, r.task.id),
    [TASK_SYNC.pfb_name.logicalName]: rowName(r.task.name),
    ...bind(TASK_SYNC.pfb_project, r.task.projectId),
    [TASK_SYNC.pfb_syncstatus.logicalName]: SyncStatus.ReadyToSync,
    [TASK_SYNC.pfb_requestedon.logicalName]: requester.requestedOn.toISOString(),
    ...bind(TASK_SYNC.pfb_requestedby, requester.userId),
    [TASK_SYNC.pfb_lasterror.logicalName]: null,
  }));
}

/** The change set of Ready to Sync: one UpsertMultiple per 1,000 rows (one for any grid selection). */
export function readyToSyncChangeSet(targets: readonly Row[]): UpsertMultipleRequest[] {
  return chunk(targets, BULK_CHUNK).map((part) => new UpsertMultipleRequest(pfb_tasksync.logicalName, part));
}

/** Cancel field work: the rows' status set to Cancelled (the bridge then cancels the not-started work orders). */
export function cancelTargets(syncRowIds: readonly string[]): Row[] {
  return syncRowIds.map((id) => ({
    '@odata.type': odataType(pfb_tasksync),
    [primaryKey(pfb_tasksync).logicalName]: id,
    [TASK_SYNC.pfb_syncstatus.logicalName]: SyncStatus.Cancelled,
  }));
}

export function cancelChangeSet(targets: readonly Row[]): UpdateMultipleRequest[] {
  return chunk(targets, BULK_CHUNK).map((part) => new UpdateMultipleRequest(pfb_tasksync.logicalName, part));
}
