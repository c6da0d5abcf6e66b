/**
 * Cancel field work for tasks already sent to the field: their pfb_tasksync rows go to Cancelled, and the bridge
 * cancels the work orders that have not started (it keeps started work; syncTasks.ts, "Cancelled cancels the task's
 * not-started work orders and stays Cancelled").
 *
 *   read the selected tasks with their sync rows ........... 1 request
 *   confirm (nothing is written on cancel)
 *   UpdateMultiple of the rows ................................. 1 request ($batch, one change set)
 */
import { ID_CHUNK, chunk, msdyn_projecttask } from '../names';
import { readDataverseError } from '../platform/dataverseError';
import { describeFailure, failureTitle } from '../platform/failureText';
import { normalizeIds } from '../platform/ids';
import { retrieveAll, type CommandPorts } from '../platform/ports';
import { skipReason } from '../readyToSync/dialogText';
import type { CancelFieldWorkOutcome, TaskNotDone, TaskRef } from '../readyToSync/outcome';
import { cancelSkip, type CancelSkipReason } from '../readyToSync/syncStates';
import { tasksWithSyncRowOptions } from '../readyToSync/taskQuery';
import { toTaskWithSyncRow } from '../readyToSync/taskRows';
import { cancelChangeSet, cancelTargets } from '../readyToSync/writeRequests';

interface SyncRowOfTask {
  readonly rowId: string;
  readonly taskId: string;
  readonly taskName: string;
  readonly status: number | null;
}

export async function runCancelFieldWork(ports: CommandPorts, request: { readonly taskIds: readonly unknown[] }): Promise<CancelFieldWorkOutcome> {
  const s = ports.strings;
  const { ids, invalid } = normalizeIds(request.taskIds);
  const skipped: TaskNotDone[] = invalid.map((id) => ({ taskId: id, taskName: id, reason: skipReason(s, { taskId: id, taskName: id, reason: 'invalidId' }) }));
  if (ids.length === 0) {
    await ports.dialogs.alert({ title: s.t('cancel.title'), text: s.t('nothing.selection'), confirmLabel: s.t('dialog.ok') });
    return { status: 'nothingToDo', cancelled: [], skipped, failed: [] };
  }

  ports.progress.show(s.plural('progress.reading', ids.length));
  let tasks: NonNullable<ReturnType<typeof toTaskWithSyncRow>>[];
  try {
    const read = await Promise.all(chunk(ids, ID_CHUNK).map((part) => retrieveAll(ports.webApi, msdyn_projecttask.logicalName, tasksWithSyncRowOptions(part))));
    tasks = read.flat().map(toTaskWithSyncRow).filter((r): r is NonNullable<typeof r> => r !== null);
  } catch (e) {
    ports.progress.close();
    const text = describeFailure(readDataverseError(e), s, { action: 'read', count: ids.length, taskNames: new Map() });
    await ports.dialogs.alert({ title: failureTitle('read', s), text, confirmLabel: s.t('dialog.ok') });
    return { status: 'failed', cancelled: [], skipped, failed: ids.map((id) => ({ taskId: id, taskName: id, reason: text })) };
  }
  ports.progress.close();

  const byTask = new Map(tasks.map((t) => [t.taskId, t]));
  const toCancel: SyncRowOfTask[] = [];
  for (const id of ids) {
    const task = byTask.get(id);
    const reason: CancelSkipReason | null = !task ? 'notFound' : cancelSkip(task.syncRow?.status);
    if (task?.syncRow && !reason) toCancel.push({ rowId: task.syncRow.id, taskId: id, taskName: task.taskName, status: task.syncRow.status });
    else {
      const taskName = task?.taskName ?? id;
      skipped.push({ taskId: id, taskName, reason: skipReason(s, { taskId: id, taskName, reason: reason ?? 'notInField' }) });
    }
  }

  const left = skipped.map((t) => `• ${t.reason}`);
  if (toCancel.length === 0) {
    await ports.dialogs.alert({ title: s.t('cancel.title'), text: [s.t('cancel.nothing'), ...left].join('\n'), confirmLabel: s.t('dialog.ok') });
    return { status: 'nothingToDo', cancelled: [], skipped, failed: [] };
  }

  const question = s.plural('cancel.confirm', toCancel.length, { taskName: toCancel[0]?.taskName ?? '' });
  const go = await ports.dialogs.confirm({
    title: s.t('cancel.title'),
    text: left.length ? [question, '', s.t('cancel.alsoSkipped'), ...left].join('\n') : question,
    confirmLabel: s.t('cancel.confirmButton'),
    cancelLabel: s.t('cancel.keepButton'),
  });
  if (!go) return { status: 'cancelled', cancelled: [], skipped, failed: [] };

  const cancelled: TaskRef[] = toCancel.map((r) => ({ taskId: r.taskId, taskName: r.taskName }));
  ports.progress.show(s.plural('progress.cancelling', cancelled.length));
  try {
    const responses = await ports.webApi.executeMultiple([cancelChangeSet(cancelTargets(toCancel.map((r) => r.rowId)))]);
    const bad = responses.find((r) => !r.ok);
    if (bad) throw { message: `The change set answered HTTP ${bad.status}.`, httpStatusCode: bad.status };
  } catch (e) {
    ports.progress.close();
    const taskNames = new Map<string, string>();
    for (const r of toCancel) {
      taskNames.set(r.taskId, r.taskName);
      taskNames.set(r.rowId, r.taskName);
    }
    const text = describeFailure(readDataverseError(e), s, { action: 'cancel', count: cancelled.length, taskNames });
    await ports.dialogs.alert({ title: failureTitle('cancel', s), text, confirmLabel: s.t('dialog.ok') });
    return { status: 'failed', cancelled: [], skipped, failed: cancelled.map((t) => ({ ...t, reason: text })) };
  }
  ports.progress.close();

  const parts = [s.plural('notify.cancelled', cancelled.length)];
  if (skipped.length) parts.push(s.plural('notify.cancelSkipped', skipped.length));
  ports.notifications.notify('success', parts.join(' '));
  return { status: 'completed', cancelled, skipped, failed: [] };
}
