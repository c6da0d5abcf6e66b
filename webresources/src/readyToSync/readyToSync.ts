/**
 * The Ready to Sync command (DESIGN §1 step 2), the whole interactive flow over the ports:
 *
 *   read the tasks with assignments, roles, project and sync row ... 1 request (≤ 500 tasks)
 *   validate (domain), decide what is skipped ...................... no I/O
 *   one dialog listing every refused task, its problem and its fix; the user continues with the valid ones or cancels
 *   upsert one pfb_tasksync row per valid task ...................... 1 request ($batch, one change set)
 *   notification with the outcome
 *
 * Nothing is written before the user has confirmed, and the write is atomic: either every valid task is queued or
 * none is, and the outcome says which.
 */
import { readDataverseError } from '../platform/dataverseError';
import { describeFailure, failureTitle } from '../platform/failureText';
import { normalizeId, normalizeIds } from '../platform/ids';
import { retrieveAll, type CommandPorts } from '../platform/ports';
import { ID_CHUNK, chunk, msdyn_projecttask } from '../names';
import { noneValidDialog, problemsDialog, queuedNotification, skipReason } from './dialogText';
import type { FailedTask, ReadyToSyncOutcome, TaskNotDone, TaskRef } from './outcome';
import { planReadyToSync, type Mode } from './plan';
import { projectLeafTasksOptions, tasksByIdOptions } from './taskQuery';
import { toTaskRecord, type TaskRecord } from './taskRows';
import { readyToSyncChangeSet, readyToSyncTargets } from './writeRequests';

export interface ReadyToSyncRequest {
  /** Selected task ids, in any of the forms the client API uses (`{GUID}`, upper or lower case). */
  readonly taskIds: readonly unknown[];
  /** The project the command runs in: a selection is kept to it; with no task ids, all its leaf tasks are the candidates. */
  readonly projectId?: string | null;
  /** For the progress message of the project form. */
  readonly projectName?: string | null;
}

/** Reads the tasks (one request per ID_CHUNK ids, or the project's leaf tasks page by page). */
export async function readTaskRecords(ports: Pick<CommandPorts, 'webApi'>, mode: Mode, ids: readonly string[], projectId: string | null): Promise<TaskRecord[]> {
  const entity = msdyn_projecttask.logicalName;
  const rows =
    mode === 'project'
      ? await retrieveAll(ports.webApi, entity, projectLeafTasksOptions(projectId as string))
      : (await Promise.all(chunk(ids, ID_CHUNK).map((part) => retrieveAll(ports.webApi, entity, tasksByIdOptions(part))))).flat();
  return rows.map(toTaskRecord).filter((r): r is TaskRecord => r !== null);
}

const ref = (r: TaskRecord): TaskRef => ({ taskId: r.task.id, taskName: r.task.name });

export async function runReadyToSync(ports: CommandPorts, request: ReadyToSyncRequest): Promise<ReadyToSyncOutcome> {
  const s = ports.strings;
  const { ids, invalid: invalidIds } = normalizeIds(request.taskIds);
  const projectId = normalizeId(request.projectId);
  const mode: Mode = ids.length === 0 && projectId ? 'project' : 'selection';

  if (mode === 'selection' && ids.length === 0) {
    await ports.dialogs.alert({ title: s.t('nothing.title'), text: s.t('nothing.selection'), confirmLabel: s.t('dialog.ok') });
    return { status: 'nothingToDo', queued: [], skipped: invalidIds.map((id) => ({ taskId: id, taskName: id, reason: s.t('skip.invalidId', { taskId: id }) })), failed: [], warnings: [] };
  }

  // 1. Read.
  ports.progress.show(mode === 'project' ? s.t('progress.readingProject', { projectName: request.projectName ?? '' }) : s.plural('progress.reading', ids.length));
  let records: TaskRecord[];
  try {
    records = await readTaskRecords(ports, mode, ids, projectId);
  } catch (e) {
    ports.progress.close();
    const text = describeFailure(readDataverseError(e), s, { action: 'read', count: ids.length, taskNames: new Map() });
    await ports.dialogs.alert({ title: failureTitle('read', s), text, confirmLabel: s.t('dialog.ok') });
    return { status: 'failed', queued: [], skipped: [], failed: ids.map((id) => ({ taskId: id, taskName: id, reason: text, issues: [] })), warnings: [] };
  }
  ports.progress.close();

  // 2. Decide.
  const plan = planReadyToSync({ mode, requestedIds: ids, invalidIds, projectId, records, now: ports.now() });
  const skipped: TaskNotDone[] = plan.skipped.map((t) => ({ taskId: t.taskId, taskName: t.taskName, reason: skipReason(s, t) }));
  const refused: FailedTask[] = plan.invalid.map((t) => ({
    taskId: t.task.id,
    taskName: t.task.name,
    reason: t.issues
      .filter((i) => i.severity === 'error')
      .map((i) => s.issue(i))
      .join('\n'),
    issues: t.issues,
  }));

  if (plan.toQueue.length === 0) {
    if (plan.invalid.length) {
      const dialog = noneValidDialog(s, plan.invalid, plan.skipped);
      await ports.dialogs.alert({ ...dialog, confirmLabel: s.t('dialog.ok') });
    } else {
      const text =
        mode === 'project'
          ? s.t('nothing.project', { projectName: request.projectName ?? records[0]?.project?.name ?? '' })
          : [s.plural('nothing.allSkipped', plan.skipped.length), ...skipped.map((t) => `• ${t.reason}`)].join('\n');
      await ports.dialogs.alert({ title: s.t('nothing.title'), text, confirmLabel: s.t('dialog.ok') });
    }
    return { status: 'nothingToDo', queued: [], skipped, failed: refused, warnings: [] };
  }

  // 3. Ask, when there is something to say. Cancel here writes nothing.
  if (plan.invalid.length || plan.warnings.length) {
    const go = await ports.dialogs.confirm(problemsDialog(s, { invalid: plan.invalid, warnings: plan.warnings, toQueueCount: plan.toQueue.length }));
    if (!go) return { status: 'cancelled', queued: [], skipped, failed: refused, warnings: [] };
  }

  // 4. Write: one $batch, one change set.
  const queued = plan.toQueue.map(ref);
  ports.progress.show(s.plural('progress.queueing', queued.length));
  try {
    const targets = readyToSyncTargets(plan.toQueue, { userId: ports.user.id, requestedOn: ports.now() });
    const responses = await ports.webApi.executeMultiple([readyToSyncChangeSet(targets)]);
    const bad = responses.find((r) => !r.ok);
    if (bad) throw { message: `The change set answered HTTP ${bad.status}.`, httpStatusCode: bad.status };
  } catch (e) {
    ports.progress.close();
    const taskNames = new Map(queued.map((t) => [t.taskId, t.taskName]));
    const text = describeFailure(readDataverseError(e), s, { action: 'readyToSync', count: queued.length, taskNames });
    await ports.dialogs.alert({ title: failureTitle('readyToSync', s), text, confirmLabel: s.t('dialog.ok') });
    return { status: 'failed', queued: [], skipped, failed: [...refused, ...queued.map((t) => ({ ...t, reason: text, issues: [] }))], warnings: [] };
  }
  ports.progress.close();

  // 5. Tell.
  ports.notifications.notify(
    // Skipped tasks are where they should be (queued, in the field); refused ones need the coordinator.
    refused.length ? 'warning' : 'success',
    queuedNotification(s, { queued: queued.length, notSent: refused.length, skipped: skipped.length }),
  );
  return { status: 'completed', queued, skipped, failed: refused, warnings: plan.warnings };
}
