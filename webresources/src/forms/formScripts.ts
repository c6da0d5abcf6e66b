/**
 * Form scripts (web resource pfb_/scripts/forms.js), registered as OnLoad handlers with "Pass execution context as
 * first parameter":
 * - `taskSyncOnLoad` on the pfb_tasksync form: the row's own status and last error, refreshed when the status
 *   changes on the form and whenever the form's data reloads (formContext.data.addOnLoad, e.g. after a save);
 * - `projectTaskOnLoad` on the project task form: the task's sync row read with one request, refreshed when the form
 *   data reloads (the Ready to Sync and Cancel field work commands refresh the form after they write).
 */
import { TASK_SYNC, lookupValue, pfb_tasksync, primaryKey, selectList } from '../names';
import { normalizeId } from '../platform/ids';
import { currentXrm, stringsOf } from '../platform/xrmPorts';
import { readDataverseError } from '../platform/dataverseError';
import { SYNC_NOTIFICATION_ID, syncStatusNotification, type SyncRowState } from './syncStatusNotification';

type FormContext = Xrm.FormContext;

function show(form: FormContext, state: SyncRowState | null): void {
  const notification = state ? syncStatusNotification(state, stringsOf(currentXrm())) : null;
  // Cleared first: a notification with the same id is not always replaced in place.
  form.ui.clearFormNotification(SYNC_NOTIFICATION_ID);
  if (notification) form.ui.setFormNotification(notification.message, notification.level, SYNC_NOTIFICATION_ID);
}

const value = (form: FormContext, column: { logicalName: string }): unknown => form.getAttribute(column.logicalName)?.getValue() ?? null;

function stateOnForm(form: FormContext): SyncRowState {
  const status = value(form, TASK_SYNC.pfb_syncstatus);
  const planned = value(form, TASK_SYNC.pfb_plannedworkorders);
  return {
    status: typeof status === 'number' ? status : null,
    lastError: value(form, TASK_SYNC.pfb_lasterror) as string | null,
    requestedOn: value(form, TASK_SYNC.pfb_requestedon) as Date | null,
    lastSyncedOn: value(form, TASK_SYNC.pfb_lastsyncedon) as Date | null,
    plannedWorkOrders: typeof planned === 'number' ? planned : null,
  };
}

export function taskSyncOnLoad(executionContext: Xrm.Events.EventContext): void {
  const form = executionContext.getFormContext();
  const refresh = (): void => show(form, stateOnForm(form));
  refresh();
  form.getAttribute(TASK_SYNC.pfb_syncstatus.logicalName)?.addOnChange(refresh);
  form.data.addOnLoad?.(refresh);
}

/** The task's sync row: `pfb_tasksyncs?$filter=_pfb_projecttask_value eq <task>` (at most one: the alternate key). */
export function syncRowOfTaskOptions(taskId: string): string {
  return (
    `?$select=${selectList(primaryKey(pfb_tasksync), TASK_SYNC.pfb_syncstatus, TASK_SYNC.pfb_lasterror, TASK_SYNC.pfb_requestedon, TASK_SYNC.pfb_lastsyncedon, TASK_SYNC.pfb_plannedworkorders)}` +
    `&$filter=${lookupValue(TASK_SYNC.pfb_projecttask)} eq ${taskId}`
  );
}

export function rowState(row: Record<string, unknown> | undefined): SyncRowState | null {
  if (!row) return null;
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    status: num(row[TASK_SYNC.pfb_syncstatus.logicalName]),
    lastError: text(row[TASK_SYNC.pfb_lasterror.logicalName]),
    requestedOn: text(row[TASK_SYNC.pfb_requestedon.logicalName]),
    lastSyncedOn: text(row[TASK_SYNC.pfb_lastsyncedon.logicalName]),
    plannedWorkOrders: num(row[TASK_SYNC.pfb_plannedworkorders.logicalName]),
  };
}

async function showTaskSyncOf(form: FormContext): Promise<void> {
  const taskId = normalizeId(form.data.entity.getId());
  if (!taskId) return show(form, null);
  const xrm = currentXrm();
  try {
    const result = await xrm.WebApi.retrieveMultipleRecords(pfb_tasksync.logicalName, syncRowOfTaskOptions(taskId));
    show(form, rowState(result.entities[0]));
  } catch (e) {
    const failure = readDataverseError(e);
    form.ui.clearFormNotification(SYNC_NOTIFICATION_ID);
    form.ui.setFormNotification(stringsOf(xrm).t('form.status.readError', { message: failure.message }), 'WARNING', SYNC_NOTIFICATION_ID);
  }
}

export function projectTaskOnLoad(executionContext: Xrm.Events.EventContext): Promise<void> {
  const form = executionContext.getFormContext();
  form.data.addOnLoad?.(() => void showTaskSyncOf(form));
  return showTaskSyncOf(form);
}
