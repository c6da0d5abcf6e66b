/**
 * What the commands and form scripts say, in 1033 (en-US). These are the script strings of the RESX web resource
 * `pfb_/strings/ribbon.<lcid>.resx` (generated from this table, with the validation messages of `@pfb/domain`), read
 * at run time through `Xrm.Utility.getResourceString`; this table is also the fallback when a key is missing.
 *
 * `{name}` placeholders are filled by `fill`; keys ending in `.one` / `.other` are the singular and plural of one
 * sentence (see `plural`). Every message a coordinator reads names the task, the cause and the next step.
 */
export const RESX_WEB_RESOURCE = 'pfb_/strings/ribbon';

export const SCRIPT_STRINGS = {
  // progress indicator
  'progress.reading.one': 'Reading 1 task…',
  'progress.reading.other': 'Reading {count} tasks…',
  'progress.readingProject': 'Reading the tasks of project “{projectName}”…',
  'progress.queueing.one': 'Marking 1 task Ready to Sync…',
  'progress.queueing.other': 'Marking {count} tasks Ready to Sync…',
  'progress.cancelling.one': 'Cancelling field work for 1 task…',
  'progress.cancelling.other': 'Cancelling field work for {count} tasks…',

  // the validation dialog
  'problems.title': 'Some tasks can’t go to the field',
  'problems.intro.one': '1 task can’t go to the field. Fix it, then mark it Ready to Sync again:',
  'problems.intro.other': '{count} tasks can’t go to the field. Fix them, then mark them Ready to Sync again:',
  'problems.continue.one': 'Send the other task',
  'problems.continue.other': 'Send the other {count} tasks',
  'problems.cancel': 'Cancel',
  'problems.noneTitle': 'No task can go to the field',
  'warnings.title': 'Send with warnings?',
  'warnings.intro': 'These tasks can go to the field, but check these points first:',
  'warnings.continue.one': 'Send 1 task',
  'warnings.continue.other': 'Send {count} tasks',
  'dialog.ok': 'OK',

  // nothing to do
  'nothing.title': 'Ready to Sync',
  'nothing.selection': 'Select at least one project task, then choose Ready to Sync.',
  'nothing.project': 'Project “{projectName}” has no task waiting to go to the field: every leaf task is already queued, in the field or cancelled.',
  'nothing.allSkipped.one': 'The selected task is already queued for the field: nothing to do.',
  'nothing.allSkipped.other': 'All {count} selected tasks are already queued for the field: nothing to do.',

  // skipped tasks
  'skip.alreadyQueued': 'Task “{taskName}” is already queued for the field',
  'skip.syncing': 'Task “{taskName}” is being sent to the field right now',
  'skip.synced': 'Task “{taskName}” is already in the field and up to date',
  'skip.cancelled': 'Task “{taskName}”: its field work was cancelled; select it and choose Ready to Sync to send it again',
  'skip.notFound': 'Task {taskId} could not be read: it was deleted, or you no longer have access to it',
  'skip.invalidId': '“{taskId}” is not a record id',
  'skip.outsideProject': 'Task “{taskName}” belongs to another project',
  'skip.notInField': 'Task “{taskName}” was never sent to the field',
  'skip.alreadyCancelled': 'Task “{taskName}”: its field work is already cancelled',
  'skip.syncingNow': 'Task “{taskName}” is being sent to the field right now; cancel it once its Sync Status is Synced or Failed',

  // the outcome notification
  'notify.queued.one': '1 task marked Ready to Sync: its work orders will be created shortly.',
  'notify.queued.other': '{count} tasks marked Ready to Sync: their work orders will be created shortly.',
  'notify.notSent.one': '1 task not sent: fix the problem shown and mark it again.',
  'notify.notSent.other': '{count} tasks not sent: fix the problems shown and mark them again.',
  'notify.skipped.one': '1 task skipped (already queued or in the field).',
  'notify.skipped.other': '{count} tasks skipped (already queued or in the field).',
  'notify.cancelled.one': 'Field work cancelled for 1 task: its work orders not yet started will be cancelled.',
  'notify.cancelled.other': 'Field work cancelled for {count} tasks: their work orders not yet started will be cancelled.',
  'notify.cancelSkipped.one': '1 task left as it was (not in the field, already cancelled or being sent).',
  'notify.cancelSkipped.other': '{count} tasks left as they were (not in the field, already cancelled or being sent).',

  // cancel field work
  'cancel.title': 'Cancel field work',
  'cancel.confirm.one': 'Cancel the field work of task “{taskName}”? Its work orders that have not started are cancelled; work already started goes on.',
  'cancel.confirm.other': 'Cancel the field work of {count} tasks? Their work orders that have not started are cancelled; work already started goes on.',
  'cancel.alsoSkipped': 'Left as they are:',
  'cancel.confirmButton': 'Cancel field work',
  'cancel.keepButton': 'Keep field work',
  'cancel.nothing': 'None of the selected tasks has field work to cancel:',

  // errors from Dataverse: what failed, the cause, the next step
  'error.title.readyToSync': 'Ready to Sync failed',
  'error.title.cancel': 'Cancel field work failed',
  'error.title.read': 'Could not read the tasks',
  'error.nothingWritten.readyToSync': 'Nothing was marked Ready to Sync: Dataverse refused the change, so none of the {count} tasks was queued.',
  'error.nothingWritten.cancel': 'No field work was cancelled: Dataverse refused the change, so none of the {count} tasks changed.',
  'error.readFailed': 'The tasks could not be read from Dataverse, so nothing was changed.',
  'error.cause': 'Cause: {message}',
  'error.causeWithCode': 'Cause: {message} (error {code})',
  'error.record': 'It concerns task “{taskName}”.',
  'error.next.throttled': 'Dataverse is limiting how many requests you can make right now. Wait {seconds} seconds, then try again.',
  'error.next.throttledNoTime': 'Dataverse is limiting how many requests you can make right now. Wait a minute, then try again.',
  'error.next.privilege': 'Your security role does not allow this. Ask your administrator for the Project Field Bridge Coordinator role, then try again.',
  'error.next.notFound': 'A record it needs was deleted or is no longer shared with you. Refresh the list, check the task still exists, then try again.',
  'error.next.conflict': 'Someone changed the same records at the same time. Refresh the list, then try again.',
  'error.next.network': 'Dataverse could not be reached. Check your connection, then try again.',
  'error.next.invalid': 'Dataverse did not accept the values. Correct the task named above, then try again.',
  'error.next.unknown': 'Try again. If it keeps failing, send this message to your administrator.',

  // form notifications (pfb_tasksync form and the project task form)
  'form.status.readyToSync': 'Ready to Sync: queued for the field on {requestedOn}. Its work orders will be created shortly.',
  'form.status.syncing': 'Syncing: the work orders of this task are being created or updated now.',
  'form.status.synced': 'Synced: work orders in the field: {plannedWorkOrders}; last synced on {lastSyncedOn}.',
  'form.status.failed': 'Sync failed: {lastError}',
  'form.status.failedNoDetail': 'Sync failed. Open the task sync row for the reason, fix it, then choose Ready to Sync again.',
  'form.status.outOfDate': 'Out of date: the task changed after it was sent to the field. Choose Ready to Sync to update its work orders.',
  'form.status.cancelled': 'Field work cancelled: work orders that had not started were cancelled.',
  'form.status.readError': 'The sync status of this task could not be read: {message}',
  'form.unknownDate': 'an unknown date',
} as const;

export type StringKey = keyof typeof SCRIPT_STRINGS;

/** Keys used through `plural(base, count)`: `<base>.one` and `<base>.other` both exist. */
export type PluralKey = {
  [K in StringKey]: K extends `${infer B}.one` ? (`${B}.other` extends StringKey ? B : never) : never;
}[StringKey];
