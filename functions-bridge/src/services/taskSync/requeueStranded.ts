/**
 * Task sync rows the bridge never heard of, found and queued again. Dataverse posts a webhook step once, and once
 * more only when the endpoint answers 502, 503 or 504 ("Use webhooks"); if the bridge is being deployed, has
 * crashed or cannot reach its queue storage at that moment, the system job fails and nothing retries it. So the
 * reconcile timer looks for:
 * - rows still Ready to Sync that nobody touched for RECONCILE_AFTER_SECONDS (their webhook was lost);
 * - rows left Syncing for longer than the queue's whole retry budget (their message was lost with the process that
 *   held it) — a message still being retried is not doubled.
 * Each is queued as its webhook would have queued it. A duplicate is harmless: the worker re-reads the row and
 * skips a row that is already Synced, and work orders are upserted by source key.
 */
import { pfb_tasksync, SyncStatus } from '@pfb/domain';
import type { Settings } from '../../config/settings';
import type { DataverseClient } from '../dataverse/dataverseClient';
import { QUEUES, type TaskSyncMessage } from '../queueMessages';

const C = pfb_tasksync.columns;
const ID = `${pfb_tasksync.logicalName}id`;
/** Rows queued per run at most; the next run takes the rest. */
export const RECONCILE_MAX_ROWS = 5000;

export interface StrandedRows {
  readonly readyToSync: number;
  readonly syncing: number;
  /** True when more rows were stranded than one run takes. */
  readonly more: boolean;
}

export interface RequeueDeps {
  readonly dataverse: DataverseClient;
  readonly queues: { send(queue: string, message: unknown): Promise<void> };
  readonly settings: Pick<Settings, 'RECONCILE_AFTER_SECONDS' | 'QUEUE_RETRY_SECONDS' | 'QUEUE_MAX_DEQUEUE_COUNT'>;
  readonly now: Date;
  /** Names this run in the messages' correlation id. */
  readonly runId: string;
}

/** Seconds after which a row left Syncing has outlived every retry its message could still get. */
export function syncingGiveUpSeconds(settings: RequeueDeps['settings']): number {
  return Math.max(settings.RECONCILE_AFTER_SECONDS, settings.QUEUE_RETRY_SECONDS * (settings.QUEUE_MAX_DEQUEUE_COUNT + 1));
}

/** Finds the stranded rows (one query, paged) and queues one task-sync message for each. */
export async function requeueStrandedTaskSyncs(deps: RequeueDeps): Promise<StrandedRows> {
  const before = (seconds: number): string => new Date(deps.now.getTime() - seconds * 1000).toISOString();
  const status = C.pfb_syncstatus.logicalName;
  const filter =
    `(${status} eq ${SyncStatus.ReadyToSync} and modifiedon lt ${before(deps.settings.RECONCILE_AFTER_SECONDS)})` +
    ` or (${status} eq ${SyncStatus.Syncing} and modifiedon lt ${before(syncingGiveUpSeconds(deps.settings))})`;
  const rows = await deps.dataverse.retrieveAll(pfb_tasksync.entitySetName, { select: [ID, status], filter, orderBy: ['modifiedon asc'] });
  const taken = rows.slice(0, RECONCILE_MAX_ROWS);
  const receivedOn = deps.now.toISOString();
  for (let i = 0; i < taken.length; i += 32) {
    await Promise.all(
      taken.slice(i, i + 32).map((row) => {
        const message: TaskSyncMessage = { kind: 'taskSync', taskSyncId: row[ID] as string, trigger: 'Reconcile', correlationId: `reconcile-${deps.runId}`, receivedOn };
        return deps.queues.send(QUEUES.taskSync, message);
      }),
    );
  }
  return {
    readyToSync: taken.filter((r) => r[status] === SyncStatus.ReadyToSync).length,
    syncing: taken.filter((r) => r[status] === SyncStatus.Syncing).length,
    more: rows.length > taken.length,
  };
}
