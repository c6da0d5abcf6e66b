/**
 * The pfb_tasksync form script on xrm-mock's form: the row's status and last error as a form notification, updated
 * when the status changes on the form and when the form's data reloads.
 */
import { XrmMockGenerator } from 'xrm-mock';
import { SyncStatus, pfb_tasksync } from '@pfb/domain';
import { taskSyncOnLoad } from '../src/forms/formScripts';

const C = pfb_tasksync.columns;
type Notification = { message: string; level: string; uniqueId: string };

function form(status: number, lastError: string | null): { notifications: () => Notification[]; context: Xrm.Events.EventContext; form: Xrm.FormContext } {
  XrmMockGenerator.initialise({ entity: { entityName: pfb_tasksync.logicalName, id: '{6F1B5E8A-0000-4000-8000-000000000001}' } } as never);
  (XrmMockGenerator.context.userSettings as unknown as { languageId: number }).languageId = 1033;
  XrmMockGenerator.Attribute.createOptionSet(C.pfb_syncstatus.logicalName, status);
  XrmMockGenerator.Attribute.createString(C.pfb_lasterror.logicalName, lastError ?? undefined);
  XrmMockGenerator.Attribute.createDate(C.pfb_requestedon.logicalName, new Date('2027-03-01T10:00:00Z'));
  XrmMockGenerator.Attribute.createDate(C.pfb_lastsyncedon.logicalName, new Date('2027-03-01T10:05:00Z'));
  XrmMockGenerator.Attribute.createNumber(C.pfb_plannedworkorders.logicalName, 4);
  const f = XrmMockGenerator.getFormContext() as unknown as Xrm.FormContext;
  const ui = f.ui as unknown as { formNotifications?: Notification[] };
  return { notifications: () => [...(ui.formNotifications ?? [])], context: XrmMockGenerator.getEventContext() as unknown as Xrm.Events.EventContext, form: f };
}

describe('ProjectFieldBridge.Forms.taskSyncOnLoad', () => {
  it('shows a failed row’s error as an error notification naming what to do', () => {
    const error = 'Task “Install 5G AAU & RRU” was not synced: Dataverse refused writing the work orders — error 0x80040217 (HTTP 404): msdyn_workordertype With Id = … Does Not Exist. This is not retried — correct the cause, then mark the task Ready to Sync again.';
    const f = form(SyncStatus.Failed, error);
    taskSyncOnLoad(f.context);
    expect(f.notifications()).toEqual([{ uniqueId: 'pfb_syncstatus', level: 'ERROR', message: `Sync failed: ${error}` }]);
  });

  it('follows the status when it changes on the form, replacing its notification', () => {
    const f = form(SyncStatus.ReadyToSync, null);
    taskSyncOnLoad(f.context);
    expect(f.notifications()).toEqual([{ uniqueId: 'pfb_syncstatus', level: 'INFO', message: expect.stringMatching(/^Ready to Sync: queued for the field on Mar 1, 2027/) }]);
    const status = f.form.getAttribute(C.pfb_syncstatus.logicalName) as Xrm.Attributes.OptionSetAttribute;
    status.setValue(SyncStatus.Synced);
    status.fireOnChange();
    expect(f.notifications()).toEqual([{ uniqueId: 'pfb_syncstatus', level: 'INFO', message: expect.stringMatching(/^Synced: work orders in the field: 4; last synced on Mar 1, 2027/) }]);
  });

  it('registers for the form’s data reloads (after a save or refresh)', () => {
    const f = form(SyncStatus.OutOfDate, null);
    taskSyncOnLoad(f.context);
    const handlers = (f.form.data as unknown as { loadEventHandlers: (() => void)[] }).loadEventHandlers;
    expect(handlers).toHaveLength(1);
    (f.form.getAttribute(C.pfb_syncstatus.logicalName) as Xrm.Attributes.OptionSetAttribute).setValue(SyncStatus.Cancelled);
    handlers[0]?.();
    expect(f.notifications()).toEqual([{ uniqueId: 'pfb_syncstatus', level: 'WARNING', message: 'Field work cancelled: work orders that had not started were cancelled.' }]);
  });
});
