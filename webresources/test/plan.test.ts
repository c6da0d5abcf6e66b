/** What each command does with a task in each sync state (readyToSync/syncStates.ts), without I/O. */
import { cancelApplies, cancelSkip, projectSkip, projectSyncApplies, readyToSyncApplies, selectionSkip } from '../src/readyToSync/syncStates';
import { planReadyToSync } from '../src/readyToSync/plan';
import { NOW, SyncStatus, otherValidRecord, record } from './support/records';

const S = SyncStatus;

describe('sync states', () => {
  it.each([
    ['no row', null, null, true, null, true, 'notInField', false],
    ['Ready to Sync', S.ReadyToSync, 'alreadyQueued', false, 'alreadyQueued', false, null, true],
    ['Syncing', S.Syncing, null, false, 'syncing', false, 'syncingNow', false],
    ['Synced', S.Synced, null, true, 'synced', false, null, true],
    ['Failed', S.Failed, null, true, null, true, null, true],
    ['Out of Date', S.OutOfDate, null, true, null, true, null, true],
    ['Cancelled', S.Cancelled, null, true, 'cancelled', false, 'alreadyCancelled', false],
  ] as const)('%s', (_label, status, selection, markable, project, projectApplies, cancel, cancellable) => {
    expect(selectionSkip(status)).toBe(selection);
    expect(readyToSyncApplies(status)).toBe(markable);
    expect(projectSkip(status)).toBe(project);
    expect(projectSyncApplies(status)).toBe(projectApplies);
    expect(cancelSkip(status)).toBe(cancel);
    expect(cancelApplies(status)).toBe(cancellable);
  });
});

describe('planReadyToSync', () => {
  it('keeps the selection order, reports ids it could not read or that are not ids, and skips queued tasks', () => {
    const a = record('A');
    const queued = record('Queued', { syncStatus: S.ReadyToSync });
    const b = otherValidRecord('B');
    const missing = 'b0000000-0000-4000-8000-000000000001';
    const plan = planReadyToSync({ mode: 'selection', requestedIds: [b.task.id, missing, queued.task.id, a.task.id], invalidIds: ['not-a-guid'], records: [a, queued, b], now: NOW });
    expect(plan.toQueue.map((r) => r.task.name)).toEqual(['B', 'A']);
    expect(plan.skipped).toEqual([
      { taskId: 'not-a-guid', taskName: 'not-a-guid', reason: 'invalidId' },
      { taskId: missing, taskName: missing, reason: 'notFound' },
      { taskId: queued.task.id, taskName: 'Queued', reason: 'alreadyQueued' },
    ]);
  });

  it('re-sends synced, failed, out-of-date and cancelled tasks of a selection; refuses one being synced right now', () => {
    const records = [S.Synced, S.Failed, S.OutOfDate, S.Cancelled, S.Syncing].map((status, i) => record(`T${i}`, { syncStatus: status }));
    const plan = planReadyToSync({ mode: 'selection', requestedIds: records.map((r) => r.task.id), records, now: NOW });
    expect(plan.toQueue.map((r) => r.task.name)).toEqual(['T0', 'T1', 'T2', 'T3']);
    expect(plan.invalid.map((t) => [t.task.name, t.issues.map((i) => i.code)])).toEqual([['T4', ['alreadySyncing']]]);
  });

  it('on the project form, sends only tasks not yet in the field (or failed / out of date), and keeps to that project', () => {
    const records = [null, S.ReadyToSync, S.Syncing, S.Synced, S.Failed, S.OutOfDate, S.Cancelled].map((status, i) => record(`P${i}`, { syncStatus: status }));
    const elsewhere = otherValidRecord('Elsewhere');
    const plan = planReadyToSync({ mode: 'project', requestedIds: [], projectId: records[0]?.task.projectId, records: [...records, elsewhere], now: NOW });
    expect(plan.toQueue.map((r) => r.task.name)).toEqual(['P0', 'P4', 'P5']);
    expect(plan.skipped.map((s) => [s.taskName, s.reason])).toEqual([
      ['P1', 'alreadyQueued'],
      ['P2', 'syncing'],
      ['P3', 'synced'],
      ['P6', 'cancelled'],
      ['Elsewhere', 'outsideProject'],
    ]);
  });
});
