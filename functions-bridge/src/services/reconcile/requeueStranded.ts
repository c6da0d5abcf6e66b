/**
 * Work the bridge never heard of, found and queued again: task sync rows, and bookings of its work orders. Dataverse posts a webhook step once, and once
 * more only when the endpoint answers 502, 503 or 504 ("Use webhooks"); if the bridge is being deployed, has
 * crashed or cannot reach its queue storage at that moment, the system job fails and nothing retries it. So the
 * reconcile timer looks for:
 * - rows still Ready to Sync that nobody touched for RECONCILE_AFTER_SECONDS (their webhook was lost);
 * - rows left Syncing for longer than the queue's whole retry budget (their message was lost with the process that
 *   held it) — a message still being retried is not doubled.
 * - bookings of the bridge's work orders that were never dispatched (no dispatch status at all), created within
 *   the last day and not changed for RECONCILE_AFTER_SECONDS (their Create webhook was lost). A booking the
 *   dispatcher skips (its work order lacks its project task) keeps no status; the look-back bounds how long it is
 *   looked at again.
 * Each is queued as its webhook would have queued it. A duplicate is harmless: the task-sync worker re-reads the row
 * and skips a row that is already Synced, work orders are upserted by source key, and a booking's dispatch carries
 * the idempotency key of its row version.
 */
import { bookableresourcebooking, pfb_tasksync, SyncStatus } from '@pfb/domain';
import type { Settings } from '../../config/settings';
import type { DataverseClient } from '../dataverse/dataverseClient';
import { QUEUES, type BookingDispatchMessage, type TaskSyncMessage } from '../queueMessages';

const C = pfb_tasksync.columns;
const ID = `${pfb_tasksync.logicalName}id`;
/** Rows queued per run at most; the next run takes the rest. */
export const RECONCILE_MAX_ROWS = 5000;

export interface StrandedRows {
  readonly readyToSync: number;
  readonly syncing: number;
  /** Bookings of bridge work orders never dispatched. */
  readonly undispatched: number;
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

/** How far back a never-dispatched booking is looked for. */
export const UNDISPATCHED_LOOKBACK_HOURS = 24;

/** Finds the stranded rows and bookings (two queries, paged) and queues one message for each. */
export async function requeueStranded(deps: RequeueDeps): Promise<StrandedRows> {
  const before = (seconds: number): string => new Date(deps.now.getTime() - seconds * 1000).toISOString();
  const status = C.pfb_syncstatus.logicalName;
  const filter =
    `(${status} eq ${SyncStatus.ReadyToSync} and modifiedon lt ${before(deps.settings.RECONCILE_AFTER_SECONDS)})` +
    ` or (${status} eq ${SyncStatus.Syncing} and modifiedon lt ${before(syncingGiveUpSeconds(deps.settings))})`;
  const rows = (await deps.dataverse.retrieveAll(pfb_tasksync.entitySetName, { select: [ID, status], filter, orderBy: ['modifiedon asc'] })).slice(0, RECONCILE_MAX_ROWS + 1);
  const taken = rows.slice(0, RECONCILE_MAX_ROWS);
  const receivedOn = deps.now.toISOString();
  const correlationId = `reconcile-${deps.runId}`;
  await sendAll(deps, taken.map((row): TaskSyncMessage => ({ kind: 'taskSync', taskSyncId: row[ID] as string, trigger: 'Reconcile', correlationId, receivedOn })), QUEUES.taskSync);

  // Bookings of the bridge's work orders (a source key) with no dispatch status: their Create webhook never came.
  // A filter through the single-valued navigation property to the work order, as Microsoft's samples filter
  // sdkmessagefilters on sdkmessageid/name.
  const B = bookableresourcebooking.columns;
  const BOOKING_ID = `${bookableresourcebooking.logicalName}id`;
  const bookingFilter =
    `${B.pfb_dispatchstatus.logicalName} eq null and statecode eq 0 and msdyn_workorder/pfb_sourcekey ne null` +
    ` and modifiedon lt ${before(deps.settings.RECONCILE_AFTER_SECONDS)} and createdon gt ${before(UNDISPATCHED_LOOKBACK_HOURS * 3600)}`;
  const bookings = (await deps.dataverse.retrieveAll(bookableresourcebooking.entitySetName, { select: [BOOKING_ID, 'versionnumber'], filter: bookingFilter, orderBy: ['createdon asc'] })).slice(0, RECONCILE_MAX_ROWS);
  await sendAll(
    deps,
    bookings.map(
      (b): BookingDispatchMessage => ({
        kind: 'bookingDispatch',
        bookingId: b[BOOKING_ID] as string,
        trigger: 'Create',
        versionNumber: b['versionnumber'] === null || b['versionnumber'] === undefined ? null : String(b['versionnumber']),
        deleted: null,
        correlationId,
        receivedOn,
      }),
    ),
    QUEUES.bookingDispatch,
  );
  return {
    readyToSync: taken.filter((r) => r[status] === SyncStatus.ReadyToSync).length,
    syncing: taken.filter((r) => r[status] === SyncStatus.Syncing).length,
    undispatched: bookings.length,
    more: rows.length > taken.length || bookings.length === RECONCILE_MAX_ROWS,
  };
}

async function sendAll(deps: RequeueDeps, messages: readonly unknown[], queue: string): Promise<void> {
  for (let i = 0; i < messages.length; i += 32) await Promise.all(messages.slice(i, i + 32).map((m) => deps.queues.send(queue, m)));
}
