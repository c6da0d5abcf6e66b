/**
 * Activity tables. Activities share the `activityid` primary key (they are rows of activitypointer too) and are
 * linked to the record they are about through the polymorphic `regardingobjectid` lookup, whose navigation
 * properties Dataverse names per target: `regardingobjectid_account_task` on the task, `Account_Tasks` on the
 * account (the $batch samples in execute-batch-operations-using-web-api bind and read tasks exactly that way).
 */
import { col, defineTable, optionSet } from '../build';
import type { ColumnDef } from '../types';

/** task.statecode / statuscode (task table reference: Open, Completed, Canceled). */
const taskStates = {
  state: [
    { value: 0, label: 'Open' },
    { value: 1, label: 'Completed' },
    { value: 2, label: 'Canceled' },
  ],
  status: [
    { value: 2, label: 'Not Started', state: 0 },
    { value: 3, label: 'In Progress', state: 0 },
    { value: 4, label: 'Waiting on someone else', state: 0 },
    { value: 5, label: 'Completed', state: 1 },
    { value: 6, label: 'Canceled', state: 2 },
    { value: 7, label: 'Deferred', state: 0 },
  ],
} as const;

const taskPriorityOptionSet = optionSet('task_prioritycode', [
  { value: 0, label: 'Low' },
  { value: 1, label: 'Normal' },
  { value: 2, label: 'High' },
]);

/** The tables a task can be regarding, with the names of the relationship Dataverse gives each one. */
const taskRegardingTargets: Readonly<Record<string, string>> = {
  account: 'Account_Tasks',
  contact: 'Contact_Tasks',
  msdyn_project: 'msdyn_project_Tasks',
  msdyn_projecttask: 'msdyn_projecttask_Tasks',
  msdyn_workorder: 'msdyn_workorder_Tasks',
  bookableresourcebooking: 'bookableresourcebooking_Tasks',
};

/** A regarding lookup: AttributeType Lookup (not Customer) even though it has several targets. */
function regarding(activity: string, relationships: Readonly<Record<string, string>>): ColumnDef {
  const perTarget: Record<string, { navigationProperty: string; relationshipName: string; referencedNavigationProperty: string }> = {};
  for (const [target, relationshipName] of Object.entries(relationships)) {
    perTarget[target] = { navigationProperty: `regardingobjectid_${target}_${activity}`, relationshipName, referencedNavigationProperty: relationshipName };
  }
  return { ...col.lookup('regardingobjectid', 'Regarding', Object.keys(relationships)), type: 'lookup', perTarget };
}

export const task = defineTable({
  logicalName: 'task',
  entitySetName: 'tasks',
  displayName: 'Task',
  displayCollectionName: 'Tasks',
  description: 'A to-do about a customer, a project, a work order or a booking.',
  primaryIdAttribute: 'activityid',
  primaryNameAttribute: 'subject',
  ownership: 'UserOwned',
  objectTypeCode: 4212,
  origin: 'platform',
  states: taskStates,
  columns: [
    // 200 is the platform's length: the batch-error-stop sample fails on a 204-character subject.
    col.text('subject', 'Subject', 200, { required: 'application' }),
    col.memo('description', 'Description', 2000),
    col.dateTime('scheduledstart', 'Start Date'),
    col.dateTime('scheduledend', 'Due Date'),
    col.dateTime('actualstart', 'Actual Start'),
    col.dateTime('actualend', 'Actual End'),
    col.int('actualdurationminutes', 'Actual Duration', { min: 0 }),
    col.int('percentcomplete', 'Percent Complete', { min: 0, max: 100 }),
    col.choice('prioritycode', 'Priority', taskPriorityOptionSet),
    regarding('task', taskRegardingTargets),
  ],
});
