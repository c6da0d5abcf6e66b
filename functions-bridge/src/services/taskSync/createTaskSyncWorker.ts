/**
 * The task-sync queue worker: one TaskSyncMessage per call, as the host delivers them (many at a time), coalesced by
 * a micro-batcher into one syncTasks call, so a coordinator marking 500 tasks costs a dozen Dataverse requests, not
 * thousands. Each call settles with its own task's outcome:
 * - synced, cancelled, skipped, not found, and permanent failures (validation, planning, a refused write; the row is
 *   Failed with the reason) resolve: retrying cannot change them;
 * - a transient failure of the batch (TaskSyncError) rejects every call of the batch, and the queue retries each
 *   message after its visibility timeout (host.json: 30 s), up to maxDequeueCount, then poisons it.
 * The poison handler marks the row Failed with the step, the Dataverse error code and what to do next.
 */
import { SyncStatus, pfb_tasksync } from '@pfb/domain';
import type { Settings } from '../../config/settings';
import type { DataverseClient } from '../dataverse/dataverseClient';
import type { TaskSyncMessage } from '../queueMessages';
import type { PoisonHandler, QueueWorker, WorkerContext } from '../workerContract';
import { MicroBatcher } from './microBatcher';
import { TASK_SYNC } from './names';
import type { TaskSyncOutcome } from './outcome';
import { idKey } from './readSyncState';
import { syncTasks } from './syncTasks';
import { TASK_SYNC_STEPS, describeFailure } from './taskSyncError';
import { fitLastError } from './taskSyncRows';

export interface TaskSyncWorkerDeps {
  readonly dataverse: DataverseClient;
  readonly settings: Pick<Settings, 'PLANNING_POLICY'>;
  readonly log: WorkerContext['log'];
  /** How long the first message of a batch waits for others (default 500 ms). */
  readonly batchWindowMs?: number;
  /** Messages per syncTasks call at most (default 500: a whole project's leaves). */
  readonly maxBatch?: number;
  /** The batch call (default syncTasks); a seam for tests that count or wrap it. */
  readonly sync?: typeof syncTasks;
}

export interface TaskSyncWorker {
  readonly worker: QueueWorker<TaskSyncMessage>;
  readonly onPoison: PoisonHandler<TaskSyncMessage>;
  /** Syncs whatever is waiting now and resolves when nothing is running. */
  flush(): Promise<void>;
  /** Refuses new messages (they reject, so the queue keeps them) and flushes. */
  close(): Promise<void>;
}

export const DEFAULT_BATCH_WINDOW_MS = 500;
export const DEFAULT_MAX_BATCH = 500;

function describeOutcome(o: TaskSyncOutcome): string {
  switch (o.kind) {
    case 'synced': {
      const w = o.workOrders;
      return `synced “${o.taskName}”: ${o.plannedWorkOrders} planned work order(s); ${w.created} created, ${w.updated} updated, ${w.cancelled} cancelled, ${w.unchanged} unchanged, ${w.keptStarted} started and kept`;
    }
    case 'failed':
      return `failed at ${o.step} (not retried): ${o.reason}`;
    case 'cancelled':
      return `cancelled: ${o.workOrders.cancelled} work order(s) cancelled, ${o.workOrders.keptStarted} started and kept`;
    case 'skipped':
      return `skipped: the row's sync status is ${o.syncStatus === SyncStatus.Synced ? 'Synced' : o.syncStatus === SyncStatus.OutOfDate ? 'Out of Date' : String(o.syncStatus)}, nothing to do`;
    case 'notFound':
      return 'skipped: the task sync row no longer exists';
  }
}

/** What the poison handler writes in pfb_lasterror. */
export function poisonReason(lastError: string, attempts: number): string {
  const { step, code, detail } = describeFailure(lastError);
  const where = step ? `at step '${step}' (${TASK_SYNC_STEPS[step]})` : 'at an unknown step';
  return fitLastError(
    `Sync failed ${where} with Dataverse error ${code ?? 'none'} after ${attempts} attempt(s): ${detail} — retries exhausted; re-drive from the poison queue after fixing the cause.`,
  );
}

export function createTaskSyncWorker(deps: TaskSyncWorkerDeps): TaskSyncWorker {
  const sync = deps.sync ?? syncTasks;
  const batcher = new MicroBatcher<TaskSyncOutcome>({
    windowMs: deps.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS,
    maxBatch: deps.maxBatch ?? DEFAULT_MAX_BATCH,
    run: (ids) => sync(ids, { dataverse: deps.dataverse, settings: deps.settings, log: deps.log }),
    missing: (id) => ({ kind: 'notFound', taskSyncId: id }),
  });

  const worker: QueueWorker<TaskSyncMessage> = async (message, context) => {
    const id = idKey(message.taskSyncId);
    const properties = { taskSyncId: id, correlationId: message.correlationId, dequeueCount: context.dequeueCount };
    let outcome: TaskSyncOutcome;
    try {
      outcome = await batcher.submit(id);
    } catch (e) {
      const retry = context.dequeueCount < context.maxDequeueCount ? 'the queue retries it' : 'it goes to the poison queue';
      context.log('warn', `task sync ${id}: ${e instanceof Error ? e.message : String(e)} — attempt ${context.dequeueCount} of ${context.maxDequeueCount}; ${retry}`, properties);
      throw e;
    }
    context.log(outcome.kind === 'failed' ? 'warn' : 'info', `task sync ${id}: ${describeOutcome(outcome)}`, { ...properties, outcome: outcome.kind });
  };

  const onPoison: PoisonHandler<TaskSyncMessage> = async (message, lastError, context) => {
    const id = idKey(message.taskSyncId);
    const set = pfb_tasksync.entitySetName;
    const row = await deps.dataverse.retrieve(set, id, [TASK_SYNC.pfb_syncstatus.logicalName, TASK_SYNC.pfb_lasterror.logicalName]);
    if (!row) {
      context.log('warn', `task sync ${id}: poisoned, but the row no longer exists; nothing to record`, { taskSyncId: id });
      return;
    }
    const status = row[TASK_SYNC.pfb_syncstatus.logicalName];
    // A later message synced or cancelled it meanwhile: the poisoned attempt is history.
    if (status === SyncStatus.Synced || status === SyncStatus.Cancelled || status === SyncStatus.OutOfDate) {
      context.log('info', `task sync ${id}: poisoned, but the row has since moved on (status ${String(status)}); left as it is`, { taskSyncId: id });
      return;
    }
    const reason = poisonReason(lastError, context.dequeueCount);
    if (status === SyncStatus.Failed && row[TASK_SYNC.pfb_lasterror.logicalName] === reason) return;
    await deps.dataverse.update(
      set,
      id,
      { [TASK_SYNC.pfb_syncstatus.logicalName]: SyncStatus.Failed, [TASK_SYNC.pfb_lasterror.logicalName]: reason },
      // Optimistic concurrency: a row another message changes meanwhile is not overwritten (412 → the host logs it).
      [row['@odata.etag'], row['oDataEtag']].find((e): e is string => typeof e === 'string'),
    );
    context.log('error', `task sync ${id}: ${reason}`, { taskSyncId: id, correlationId: message.correlationId });
  };

  return { worker, onPoison, flush: () => batcher.flush(), close: () => batcher.close() };
}
