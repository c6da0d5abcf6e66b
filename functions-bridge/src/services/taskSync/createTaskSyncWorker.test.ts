/**
 * The task-sync worker as the queue host drives it: many concurrent calls, one message each. Against a real local
 * Dataverse: the calls are coalesced into one or two syncTasks calls and each caller settles with its own task's
 * outcome; a transient Dataverse failure rejects the calls (so the queue retries) with the step and the code, and
 * the poison handler turns that into a Failed row a coordinator can act on.
 */
import { SyncStatus } from '@pfb/domain';
import { REAL_LIMITS, startDataverse, type Attributes, type RunningDataverse } from '@pfb/sandbox';
import { TELECOM_INVALID_TASKS } from '../../../../sandbox/dataverse/src/seed/telecom';
import type { TaskSyncMessage } from '../queueMessages';
import type { WorkerContext } from '../workerContract';
import { createTaskSyncWorker } from './createTaskSyncWorker';
import { syncTasks } from './syncTasks';
import { TaskSyncError } from './taskSyncError';
import { clientFor, leafTaskIds, markReadyToSync, summaryTaskIds } from './testSupport';

const settings = { PLANNING_POLICY: 'perDay' as const };
const INVALID_IDS: ReadonlySet<string> = new Set(Object.values(TELECOM_INVALID_TASKS).map((t) => t.id));

const message = (taskSyncId: string): TaskSyncMessage => ({ kind: 'taskSync', taskSyncId, trigger: 'Create', correlationId: `corr-${taskSyncId}`, receivedOn: new Date().toISOString() });

function context(dequeueCount = 1): WorkerContext & { log: jest.Mock } {
  return { dequeueCount, maxDequeueCount: 10, log: jest.fn() };
}

describe('the task-sync worker', () => {
  let dv: RunningDataverse;
  beforeAll(async () => {
    dv = await startDataverse({ seed: 'telecom', limits: REAL_LIMITS });
  });
  afterAll(() => dv.close());

  it('coalesces 50 concurrent messages into at most 2 syncTasks calls, and each caller gets its own outcome', async () => {
    const client = clientFor(dv);
    // 44 leaves (4 of them invalid) and 6 summary tasks, which validation refuses.
    const taskIds = [...leafTaskIds(dv), ...summaryTaskIds(dv).slice(0, 6)];
    expect(taskIds).toHaveLength(50);
    const rows = await markReadyToSync(client, dv, taskIds);
    const calls: number[] = [];
    const { worker, close } = createTaskSyncWorker({
      dataverse: client,
      settings,
      log: jest.fn(),
      sync: (ids, deps) => {
        calls.push(ids.length);
        return syncTasks(ids, deps);
      },
    });

    const contexts = taskIds.map(() => context());
    const results = await Promise.allSettled(taskIds.map((t, i) => worker(message(rows.get(t) as string), contexts[i] as WorkerContext)));
    await close();

    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(50);
    const summaries = new Set(summaryTaskIds(dv));
    for (const [i, taskId] of taskIds.entries()) {
      const rowId = rows.get(taskId) as string;
      const log = (contexts[i] as { log: jest.Mock }).log;
      // Exactly one line, about this caller's own row.
      expect(log).toHaveBeenCalledTimes(1);
      const [level, text, properties] = log.mock.calls[0] as [string, string, Record<string, unknown>];
      expect(properties).toMatchObject({ taskSyncId: rowId, correlationId: `corr-${rowId}` });
      const row = dv.dataverse.store.get('pfb_tasksync', rowId) as Attributes;
      if (INVALID_IDS.has(taskId) || summaries.has(taskId)) {
        expect([level, properties['outcome']]).toEqual(['warn', 'failed']);
        expect(text).toContain(String(row['pfb_lasterror']).split('\n')[0]);
        expect(row['pfb_syncstatus']).toBe(SyncStatus.Failed);
      } else {
        expect([level, properties['outcome']]).toEqual(['info', 'synced']);
        expect(text).toContain(`synced “${String(dv.dataverse.store.get('msdyn_projecttask', taskId)?.['msdyn_subject'])}”`);
        expect(row['pfb_syncstatus']).toBe(SyncStatus.Synced);
      }
    }
  });

  it('answers a duplicate message within the same batch once, and refuses messages after close', async () => {
    const client = clientFor(dv);
    const [taskId] = leafTaskIds(dv);
    const rowId = (dv.dataverse.store.select('pfb_tasksync', 't0."pfb_projecttask" = ?', [taskId as string])[0] as Attributes)['pfb_tasksyncid'] as string;
    let calls = 0;
    const { worker, flush, close } = createTaskSyncWorker({
      dataverse: client,
      settings,
      log: jest.fn(),
      batchWindowMs: 20,
      sync: (ids, deps) => {
        calls += 1;
        expect(ids).toEqual([rowId]);
        return syncTasks(ids, deps);
      },
    });
    const a = context();
    const b = context();
    await Promise.all([worker(message(rowId), a), worker(message(rowId.toUpperCase()), b), flush()]);
    expect(calls).toBe(1);
    // Already Synced by the previous test: a duplicate, nothing to do.
    expect(a.log.mock.calls[0]?.[1]).toContain('skipped: the row\'s sync status is Synced');
    expect(b.log.mock.calls[0]?.[1]).toContain('skipped');
    await close();
    await expect(worker(message(rowId), context())).rejects.toThrow(/closed/);
  });
});

describe('a transient Dataverse failure', () => {
  let dv: RunningDataverse;
  afterAll(() => dv?.close());

  it('rejects every call of the batch so the queue retries, then the poison handler marks the row Failed with the step and the code', async () => {
    // Two requests per second: the sync's third request (marking Syncing) is throttled, and this client does not wait.
    dv = await startDataverse({ seed: 'telecom', limits: { requests: 2, executionMs: 1e9, windowMs: 1500, concurrent: 52 } });
    const setup = clientFor(dv);
    const [t1, t2] = leafTaskIds(dv).filter((t) => !INVALID_IDS.has(t));
    const rows = await markReadyToSync(setup, dv, [t1 as string, t2 as string]);
    await new Promise((r) => setTimeout(r, 1600));

    const bridge = clientFor(dv, { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 });
    const log = jest.fn();
    const { worker, onPoison, close } = createTaskSyncWorker({ dataverse: bridge, settings, log, batchWindowMs: 10 });
    const ctx1 = context(3);
    const results = await Promise.allSettled([...rows.values()].map((id) => worker(message(id), ctx1)));
    await close();
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const error = (r as PromiseRejectedResult).reason as TaskSyncError;
      expect(error).toBeInstanceOf(TaskSyncError);
      expect(error.step).toBe('markSyncing');
      expect(error.dataverseCode).toBe('0x80072322');
    }
    expect(ctx1.log).toHaveBeenCalledWith('warn', expect.stringContaining('attempt 3 of 10; the queue retries it'), expect.anything());
    // Nothing was written: the rows are still Ready to Sync, no work orders exist.
    for (const id of rows.values()) expect(dv.dataverse.store.get('pfb_tasksync', id)?.['pfb_syncstatus']).toBe(SyncStatus.ReadyToSync);
    expect(dv.dataverse.store.count('msdyn_workorder', '', [])).toBe(0);

    // The retries run out: the host hands the last error to the poison handler.
    await new Promise((r) => setTimeout(r, 1600));
    const [first] = [...rows.values()];
    const lastError = ((results[0] as PromiseRejectedResult).reason as Error).message;
    const ctx10 = context(10);
    await onPoison(message(first as string), lastError, ctx10);
    const row = dv.dataverse.store.get('pfb_tasksync', first as string) as Attributes;
    expect(row['pfb_syncstatus']).toBe(SyncStatus.Failed);
    expect(row['pfb_lasterror']).toMatch(
      /^Sync failed at step 'markSyncing' \(marking the task sync rows Syncing\) with Dataverse error 0x80072322 after 10 attempt\(s\): .*Number of requests exceeded the limit.* — retries exhausted; re-drive from the poison queue after fixing the cause\.$/s,
    );
    expect(ctx10.log).toHaveBeenCalledWith('error', expect.stringContaining('retries exhausted'), expect.objectContaining({ taskSyncId: first }));
  });

  it('the poison handler leaves a row alone that a later message has synced', async () => {
    const local = await startDataverse({ seed: 'telecom', limits: null });
    try {
      const client = clientFor(local);
      const [taskId] = leafTaskIds(local).filter((t) => !INVALID_IDS.has(t));
      const rows = await markReadyToSync(client, local, [taskId as string]);
      const id = rows.get(taskId as string) as string;
      await syncTasks([id], { dataverse: client, settings });
      const before = local.dataverse.store.get('pfb_tasksync', id) as Attributes;
      const { onPoison } = createTaskSyncWorker({ dataverse: client, settings, log: jest.fn() });
      await onPoison(message(id), "task-sync failed at step 'upsertWorkOrders' (x) with Dataverse error 0x80072322: throttled", context(10));
      expect(local.dataverse.store.get('pfb_tasksync', id)).toEqual(before);
    } finally {
      await local.close();
    }
  });
});
