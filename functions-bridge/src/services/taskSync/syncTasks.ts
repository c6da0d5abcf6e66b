/**
 * Task sync, the bulk path (DESIGN §1 steps 3–5): pfb_tasksync rows → validated, planned work orders in Field
 * Service, in a number of Dataverse requests that does not grow with the number of tasks:
 *
 *   read rows, tasks, projects ............ 1 ($batch of GETs, ids 200 per In filter)
 *   read assignments, roles, work orders .. 1 ($batch)
 *   mark Syncing (and validation Failed) .. 1 (UpdateMultiple)
 *   write work orders ..................... 1 per 1,000 (UpsertMultiple by pfb_sourcekey)
 *   cancel work orders .................... 1 per 1,000 (UpdateMultiple), only when the diff cancels
 *   read new work orders' requirements .... 1 ($batch), only when work orders were created
 *   update requirements ................... 1 per 1,000 (UpdateMultiple), only those that differ
 *   record the outcome .................... 1 (UpdateMultiple)
 *
 * Which rows it acts on, by pfb_syncstatus: Ready to Sync, Syncing (an interrupted attempt being retried) and Failed
 * (a re-drive) are synced; Cancelled cancels the task's not-started work orders and stays Cancelled; Synced and Out
 * of Date are skipped (a duplicate message, or the echo of the bridge's own write) and nothing is written.
 *
 * Failures: validation and planning refusals are permanent (the row is Failed with the message, never retried). A
 * bulk write Dataverse refuses for good is narrowed to the task(s) that cause it (isolatedBulkWrite): those rows
 * are Failed with Dataverse's code and message, the others complete. Anything else — a transient fault, or a refusal
 * that cannot be narrowed to a task (a read, the rows' own status write) — throws a TaskSyncError naming the step:
 * the queue retries the message, and every write is idempotent (alternate-key upserts, updates to fixed values), so a
 * retry or a crash mid-way creates nothing twice.
 *
 * Validation runs before the rows are marked Syncing, so failures are recorded in that same request and a row that
 * fails again with the same text is not rewritten. Whether a task needs writes is decided by diffing the plan with the
 * work orders and requirements actually in Dataverse, not by trusting pfb_planfingerprint alone: an unchanged task
 * writes nothing either way, and a run interrupted between the work orders and their requirements is completed.
 */
import {
  PlanningError,
  SyncStatus,
  WorkOrderSystemStatus,
  diffPlan,
  formatValidationIssue,
  msdyn_resourcerequirement,
  msdyn_workorder,
  pfb_tasksync,
  planWorkOrders,
  validateTasks,
  type PlanDiff,
  type PlannedSlot,
  type ValidationProject,
  type ValidationRole,
} from '@pfb/domain';
import type { Settings } from '../../config/settings';
import type { DataverseClient } from '../dataverse/dataverseClient';
import type { DataverseRequestError } from '../dataverse/dataverseError';
import type { WorkerContext } from '../workerContract';
import type { Row } from './batchRead';
import { isolatedBulkWrite, type BulkWrite } from './isolatedBulkWrite';
import { noWorkOrderChanges, type TaskSyncOutcome, type WorkOrderCounts } from './outcome';
import {
  idKey,
  readTaskDetails,
  readTaskSyncs,
  readWorkOrdersAfterWrite,
  type ProjectRow,
  type TaskDetails,
  type TaskSyncRow,
  type WorkOrderRow,
} from './readSyncState';
import { TASK_SYNC_STEPS, TaskSyncError, dataverseCodeOf, type TaskSyncStep } from './taskSyncError';
import { cancelledTarget, failedTarget, syncedTarget, syncingTarget } from './taskSyncRows';
import { existingSlots, isStarted, planInput, validationProject, validationRoles, validationTask } from './toDomain';
import { cancelTarget, needsRefresh, primaryRequirement, requirementTarget, taskContext, upsertTarget, type TaskContext } from './workOrderTargets';

export interface SyncTasksDeps {
  readonly dataverse: DataverseClient;
  readonly settings: Pick<Settings, 'PLANNING_POLICY'>;
  readonly log?: WorkerContext['log'];
  /** The clock (pfb_lastsyncedon, "task in the past" warnings). */
  readonly now?: () => Date;
}

interface Refusal {
  readonly step: TaskSyncStep;
  readonly error: DataverseRequestError;
}

/** One pfb_tasksync row on its way through the steps; `refused` is set by the first write Dataverse refuses for it. */
interface Item {
  readonly row: TaskSyncRow;
  refused?: Refusal;
}

/** A task being synced: its plan, and what it needs written. */
interface SyncItem extends Item {
  readonly kind: 'sync';
  readonly ctx: TaskContext;
  readonly upserts: Row[];
  readonly cancels: WorkOrderRow[];
  /** Slots with an existing, not-started work order: their requirement is checked against the plan. */
  readonly existingRequirementSlots: { slot: PlannedSlot; wo: WorkOrderRow }[];
  readonly createdSlots: PlannedSlot[];
  requirementUpdates: Row[];
  readonly counts: WorkOrderCounts;
}

/** A task refused before any write: validation or planning. */
interface FailItem extends Item {
  readonly kind: 'fail';
  readonly step: 'validate' | 'plan';
  readonly reason: string;
}

/** A Cancelled row: its task's not-started work orders are cancelled. */
interface CancelItem extends Item {
  readonly kind: 'cancel';
  readonly cancels: WorkOrderRow[];
  readonly keptStarted: WorkOrderRow[];
}

async function step<T>(name: TaskSyncStep, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw e instanceof TaskSyncError ? e : new TaskSyncError(name, e);
  }
}

const isSyncable = (status: number): boolean => status === SyncStatus.ReadyToSync || status === SyncStatus.Syncing || status === SyncStatus.Failed;

const taskNameOf = (row: TaskSyncRow): string => row.task?.name ?? row.name;

/** What pfb_lasterror says when Dataverse refused this task's write for good. */
function refusalReason(row: TaskSyncRow, refused: Refusal): string {
  const { error } = refused;
  return (
    `Task “${taskNameOf(row)}” was not synced: Dataverse refused ${TASK_SYNC_STEPS[refused.step]} — error ${dataverseCodeOf(error) ?? 'unknown'}` +
    `${error.status ? ` (HTTP ${error.status})` : ''}: ${error.dataverseMessage}. This is not retried — correct the cause, then mark the task Ready to Sync again.`
  );
}

// ---- validation, planning, diff (no I/O) -----------------------------------------------------------------------------

type TaskOf = NonNullable<TaskSyncRow['task']>;

function prepare(rows: readonly TaskSyncRow[], details: TaskDetails, deps: SyncTasksDeps, now: Date): (SyncItem | FailItem)[] {
  const projects = new Map<string, ValidationProject>();
  const projectRows = new Map<string, ProjectRow>();
  const roles = new Map<string, ValidationRole>();
  for (const row of rows) {
    const project = row.task?.project;
    if (project) {
      projects.set(project.id, validationProject(project));
      projectRows.set(project.id, project);
    }
    for (const r of validationRoles(row.task ? (details.assignments.get(row.task.id) ?? []) : [])) roles.set(r.id, r);
  }
  const withTask = rows.filter((r): r is TaskSyncRow & { task: TaskOf } => r.task !== null);
  const validation = validateTasks(
    withTask.map((r) => validationTask(r.task, details.assignments.get(r.task.id) ?? [])),
    { projects, roles, now },
  );
  const issuesOf = new Map(validation.invalid.map((i) => [i.task.id, i.issues]));

  return rows.map((row): SyncItem | FailItem => {
    const task = row.task;
    if (!task) {
      return { kind: 'fail', row, step: 'validate', reason: `The project task of “${row.name}” no longer exists. Delete this sync row, or mark the task again from its project.` };
    }
    const issues = issuesOf.get(task.id);
    if (issues) {
      const reason = issues.filter((i) => i.severity === 'error').map((i) => formatValidationIssue(i)).join('\n');
      return { kind: 'fail', row, step: 'validate', reason };
    }
    // Validation passed, so the project exists with a service account, price list, zone and working hours.
    const project = projectRows.get(task.projectId) as ProjectRow & { serviceAccountId: string; priceListId: string };
    const assignments = details.assignments.get(task.id) ?? [];
    try {
      const plan = planWorkOrders(planInput(task, project, assignments, deps.settings.PLANNING_POLICY));
      const workOrders = details.workOrders.get(task.id) ?? [];
      const diff = diffPlan(existingSlots(workOrders, details.bookingStatuses), plan);
      const taskRoles = new Map(assignments.flatMap((a) => (a.role ? [[a.role.id, a.role] as const] : [])));
      return syncItem(row, taskContext({ taskSyncId: row.id, task, project, plan, roles: taskRoles }), diff, workOrders, details);
    } catch (e) {
      if (!(e instanceof PlanningError)) throw e;
      return { kind: 'fail', row, step: 'plan', reason: e.message };
    }
  });
}

/** Turns a diff into writes. Started work orders are left exactly as they are, whatever the new plan says. */
function syncItem(row: TaskSyncRow, ctx: TaskContext, diff: PlanDiff, workOrders: readonly WorkOrderRow[], details: TaskDetails): SyncItem {
  const byKey = new Map(workOrders.filter((w) => w.sourceKey).map((w) => [w.sourceKey as string, w]));
  const item: SyncItem = { kind: 'sync', row, ctx, upserts: [], cancels: [], existingRequirementSlots: [], createdSlots: [], requirementUpdates: [], counts: noWorkOrderChanges() };
  const { counts } = item;
  for (const slot of diff.create) {
    item.upserts.push(upsertTarget(ctx, slot, 'new'));
    item.createdSlots.push(slot);
    counts.created += 1;
  }
  for (const { slot, previous } of diff.update) {
    if (previous.started) {
      counts.keptStarted += 1;
      continue;
    }
    item.upserts.push(upsertTarget(ctx, slot, previous.cancelled ? 'reactivate' : 'keep'));
    item.existingRequirementSlots.push({ slot, wo: byKey.get(slot.key) as WorkOrderRow });
    counts.updated += 1;
  }
  for (const slot of diff.unchanged) {
    const wo = byKey.get(slot.key) as WorkOrderRow;
    if (isStarted(wo, details.bookingStatuses)) {
      counts.unchanged += 1;
      continue;
    }
    if (needsRefresh(ctx, slot, wo)) {
      item.upserts.push(upsertTarget(ctx, slot, 'keep'));
      counts.updated += 1;
    } else {
      counts.unchanged += 1;
    }
    item.existingRequirementSlots.push({ slot, wo });
  }
  for (const e of diff.cancel) item.cancels.push(byKey.get(e.key) as WorkOrderRow);
  counts.cancelled = item.cancels.length;
  counts.keptStarted += diff.keptStarted.length;
  return item;
}

function cancelItem(row: TaskSyncRow, details: TaskDetails): CancelItem {
  const live = (row.taskId ? (details.workOrders.get(row.taskId) ?? []) : []).filter((w) => w.sourceKey && w.systemStatus !== WorkOrderSystemStatus.Canceled);
  const keptStarted = live.filter((w) => isStarted(w, details.bookingStatuses));
  return { kind: 'cancel', row, cancels: live.filter((w) => !keptStarted.includes(w)), keptStarted };
}

// ---- the writes ----------------------------------------------------------------------------------------------------

const WORK_ORDER_UPSERT: BulkWrite = { step: 'upsertWorkOrders', entitySet: msdyn_workorder.entitySetName, message: 'UpsertMultiple', logicalName: msdyn_workorder.logicalName };
const WORK_ORDER_CANCEL: BulkWrite = { step: 'cancelWorkOrders', entitySet: msdyn_workorder.entitySetName, message: 'UpdateMultiple', logicalName: msdyn_workorder.logicalName };
const REQUIREMENT_UPDATE: BulkWrite = {
  step: 'updateRequirements',
  entitySet: msdyn_resourcerequirement.entitySetName,
  message: 'UpdateMultiple',
  logicalName: msdyn_resourcerequirement.logicalName,
};
const rowWrite = (s: TaskSyncStep): BulkWrite => ({ step: s, entitySet: pfb_tasksync.entitySetName, message: 'UpdateMultiple', logicalName: pfb_tasksync.logicalName });

/**
 * One bulk step over the items not refused yet (or over all of them, for the final row write, which must also record
 * earlier refusals). Items Dataverse refuses now keep that refusal; later steps skip them.
 */
async function writeStep<I extends Item>(client: DataverseClient, write: BulkWrite, items: readonly I[], records: (item: I) => readonly Row[], all = false): Promise<void> {
  const live = all ? items : items.filter((i) => !i.refused);
  const refused = await step(write.step, () => isolatedBulkWrite(client, write, live.map((i) => ({ taskSyncId: i.row.id, records: records(i) }))));
  for (const i of live) {
    const error = refused.get(i.row.id);
    if (error && !i.refused) i.refused = { step: write.step, error };
  }
}

function outcomeOf(item: SyncItem | FailItem | CancelItem): TaskSyncOutcome {
  const { row } = item;
  if (item.refused) return { kind: 'failed', taskSyncId: row.id, taskId: row.taskId, step: item.refused.step, reason: refusalReason(row, item.refused) };
  switch (item.kind) {
    case 'fail':
      return { kind: 'failed', taskSyncId: row.id, taskId: row.taskId, step: item.step, reason: item.reason };
    case 'cancel':
      return {
        kind: 'cancelled',
        taskSyncId: row.id,
        taskId: row.taskId ?? '',
        workOrders: { ...noWorkOrderChanges(), cancelled: item.cancels.length, keptStarted: item.keptStarted.length },
      };
    case 'sync':
      return {
        kind: 'synced',
        taskSyncId: row.id,
        taskId: item.ctx.task.id,
        taskName: item.ctx.task.name,
        plannedWorkOrders: item.ctx.plan.slots.length,
        fingerprint: item.ctx.plan.fingerprint,
        workOrders: item.counts,
      };
  }
}

/** The final write on a row: Synced with the plan's figures, Failed with a refusal, or the Cancelled note. */
function finalTarget(item: SyncItem | CancelItem, now: Date): Row | undefined {
  if (item.refused) return failedTarget(item.row, refusalReason(item.row, item.refused), false);
  if (item.kind === 'sync') return syncedTarget(item.row, item.ctx.plan, now);
  return cancelledTarget(item.row, item.cancels.length, item.keptStarted.map((w) => w.name ?? w.sourceKey ?? w.id), now);
}

/**
 * Syncs the pfb_tasksync rows `taskSyncIds` (duplicates and letter case ignored). Resolves with one outcome per id;
 * rejects with a TaskSyncError only for what a retry may fix.
 */
export async function syncTasks(taskSyncIds: readonly string[], deps: SyncTasksDeps): Promise<Map<string, TaskSyncOutcome>> {
  const ids = [...new Set(taskSyncIds.map(idKey))];
  const outcomes = new Map<string, TaskSyncOutcome>();
  if (ids.length === 0) return outcomes;
  const client = deps.dataverse;
  const now = deps.now?.() ?? new Date();
  const requestsBefore = client.stats.requests;

  // 1. The rows, their tasks and projects.
  const rows = await step('readTaskSyncs', () => readTaskSyncs(client, ids));
  const toSync: TaskSyncRow[] = [];
  const toCancel: TaskSyncRow[] = [];
  for (const id of ids) {
    const row = rows.get(id);
    if (!row) outcomes.set(id, { kind: 'notFound', taskSyncId: id });
    else if (isSyncable(row.status)) toSync.push(row);
    else if (row.status === SyncStatus.Cancelled) toCancel.push(row);
    else outcomes.set(id, { kind: 'skipped', taskSyncId: id, syncStatus: row.status });
  }
  if (toSync.length === 0 && toCancel.length === 0) return outcomes;

  // 2. Assignments with roles; existing work orders with bookings and requirements.
  const taskIdsOf = (list: readonly TaskSyncRow[]): string[] => [...new Set(list.flatMap((r) => (r.taskId ? [r.taskId] : [])))];
  const details = await step('readTaskDetails', () => readTaskDetails(client, taskIdsOf(toSync), taskIdsOf([...toSync, ...toCancel])));

  // 3. Validate, plan, diff.
  const prepared = prepare(toSync, details, deps, now);
  const syncs = prepared.filter((i): i is SyncItem => i.kind === 'sync');
  const cancels = toCancel.map((row) => cancelItem(row, details));

  // 4. Mark Syncing; validation and planning failures are recorded in the same request.
  await writeStep(client, rowWrite('markSyncing'), prepared, (i) => {
    if (i.kind === 'sync') return [syncingTarget(i.row)];
    const failed = failedTarget(i.row, i.reason, true);
    return failed ? [failed] : [];
  });

  // 5. Work orders: upserts by source key, then cancels.
  await writeStep(client, WORK_ORDER_UPSERT, syncs, (i) => i.upserts);
  await writeStep<SyncItem | CancelItem>(client, WORK_ORDER_CANCEL, [...syncs, ...cancels], (i) => i.cancels.map(cancelTarget));

  // 6. Requirements: Field Service made one per new work order; read those, then set role, duration and window.
  const creating = syncs.filter((i) => !i.refused && i.createdSlots.length > 0);
  const created = creating.length > 0 ? await step('readRequirements', () => readWorkOrdersAfterWrite(client, creating.map((i) => i.ctx.task.id))) : new Map<string, WorkOrderRow>();
  for (const item of syncs) {
    if (item.refused) continue;
    const wanted = (slot: PlannedSlot, wo: WorkOrderRow | undefined): Row[] => {
      const req = wo ? primaryRequirement(wo) : undefined;
      const target = req ? requirementTarget(req, slot) : undefined;
      return target ? [target] : [];
    };
    item.requirementUpdates = [
      ...item.existingRequirementSlots.flatMap(({ slot, wo }) => wanted(slot, wo)),
      ...item.createdSlots.flatMap((slot) => wanted(slot, created.get(slot.key))),
    ];
    item.counts.requirementsUpdated = item.requirementUpdates.length;
  }
  await writeStep(client, REQUIREMENT_UPDATE, syncs, (i) => i.requirementUpdates);

  // 7. The outcome on each row.
  await writeStep<SyncItem | CancelItem>(client, rowWrite('recordOutcome'), [...syncs, ...cancels], (i) => {
    const target = finalTarget(i, now);
    return target ? [target] : [];
  }, true);

  for (const item of [...prepared, ...cancels]) outcomes.set(item.row.id, outcomeOf(item));
  const tally = new Map<string, number>();
  for (const o of outcomes.values()) tally.set(o.kind, (tally.get(o.kind) ?? 0) + 1);
  const requests = client.stats.requests - requestsBefore;
  deps.log?.('info', `task-sync: ${ids.length} row(s) in ${requests} Dataverse request(s): ${[...tally].map(([k, n]) => `${n} ${k}`).join(', ')}`, { rows: ids.length, requests });
  return outcomes;
}
