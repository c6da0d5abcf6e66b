/**
 * The one read of the Ready to Sync command: the tasks with everything validation needs, in a single Web API request
 * whatever the number of tasks (up to ID_CHUNK ids per request):
 *
 *   msdyn_projecttasks  ($select task columns; $filter In(ids) or the project's leaf tasks)
 *     $expand project (single-valued: service account, price list, site time zone, working hours, field enabled)
 *     $expand resource assignments (collection-valued) → team member (single) → role (single)
 *     $expand task sync row (collection-valued, at most one: the alternate key on pfb_projecttask)
 *
 * Nested `$expand` on collection-valued navigation properties is supported as long as no `$top`/`$orderby` is used
 * inside (join-tables.md), and 5 expands stay well under the limit of 15.
 */
import {
  ASSIGNMENT,
  PROJECT,
  ROLE,
  TASK,
  TASK_SYNC,
  TEAM_MEMBER,
  bookableresourcecategory,
  collectionOf,
  inFilter,
  lookupValue,
  msdyn_project,
  msdyn_projectteam,
  msdyn_projecttask,
  msdyn_resourceassignment,
  navigationOf,
  pfb_tasksync,
  primaryKey,
  selectList,
} from '../names';

export const ASSIGNMENTS_OF_TASK = collectionOf(msdyn_projecttask, msdyn_resourceassignment, ASSIGNMENT.msdyn_taskid);
export const SYNC_ROWS_OF_TASK = collectionOf(msdyn_projecttask, pfb_tasksync, TASK_SYNC.pfb_projecttask);

const TASK_SELECT = selectList(
  primaryKey(msdyn_projecttask),
  TASK.msdyn_subject,
  TASK.msdyn_summary,
  TASK.msdyn_effort,
  TASK.msdyn_scheduledstart,
  TASK.msdyn_scheduledend,
  TASK.msdyn_project,
);

const PROJECT_EXPAND = `${navigationOf(TASK.msdyn_project)}($select=${selectList(
  primaryKey(msdyn_project),
  PROJECT.msdyn_subject,
  PROJECT.pfb_serviceaccount,
  PROJECT.pfb_pricelist,
  PROJECT.pfb_timezone,
  PROJECT.pfb_workinghours,
  PROJECT.pfb_fieldenabled,
)})`;

const ROLE_EXPAND = `${navigationOf(TEAM_MEMBER.msdyn_resourcecategory)}($select=${selectList(
  primaryKey(bookableresourcecategory),
  ROLE.name,
  ROLE.pfb_workordertype,
  ROLE.pfb_characteristic,
)})`;

const TEAM_MEMBER_EXPAND = `${navigationOf(ASSIGNMENT.msdyn_projectteamid)}($select=${selectList(
  primaryKey(msdyn_projectteam),
  TEAM_MEMBER.msdyn_name,
  TEAM_MEMBER.msdyn_bookableresourceid,
  TEAM_MEMBER.msdyn_resourcecategory,
)};$expand=${ROLE_EXPAND})`;

const ASSIGNMENTS_EXPAND = `${ASSIGNMENTS_OF_TASK}($select=${selectList(
  primaryKey(msdyn_resourceassignment),
  ASSIGNMENT.msdyn_projectteamid,
)};$expand=${TEAM_MEMBER_EXPAND})`;

const SYNC_ROW_EXPAND = `${SYNC_ROWS_OF_TASK}($select=${selectList(primaryKey(pfb_tasksync), TASK_SYNC.pfb_name, TASK_SYNC.pfb_syncstatus)})`;

const EXPAND = [PROJECT_EXPAND, ASSIGNMENTS_EXPAND, SYNC_ROW_EXPAND].join(',');

/** `options` for `Xrm.WebApi.retrieveMultipleRecords(msdyn_projecttask, options)`: these tasks, all they need. */
export function tasksByIdOptions(ids: readonly string[]): string {
  return `?$select=${TASK_SELECT}&$filter=${inFilter(primaryKey(msdyn_projecttask), ids)}&$expand=${EXPAND}`;
}

/** The leaf tasks of a project (summary tasks are never field work), with all they need. */
export function projectLeafTasksOptions(projectId: string): string {
  return `?$select=${TASK_SELECT}&$filter=${lookupValue(TASK.msdyn_project)} eq ${projectId} and ${TASK.msdyn_summary.logicalName} eq false&$expand=${EXPAND}`;
}

/** These tasks' names and sync rows (Cancel field work: a task without a row is named too). */
export function tasksWithSyncRowOptions(ids: readonly string[]): string {
  return `?$select=${selectList(primaryKey(msdyn_projecttask), TASK.msdyn_subject)}&$filter=${inFilter(primaryKey(msdyn_projecttask), ids)}&$expand=${SYNC_ROW_EXPAND}`;
}

/** Just the sync status of these tasks' rows (enable rules): pfb_tasksync filtered by the tasks, one request. */
export function syncRowsOfTasksOptions(taskIds: readonly string[]): string {
  return `?$select=${selectList(primaryKey(pfb_tasksync), TASK_SYNC.pfb_syncstatus, TASK_SYNC.pfb_projecttask)}&$filter=${inFilter(TASK_SYNC.pfb_projecttask, taskIds)}`;
}

/** The leaf tasks of a project with just their sync status (the project form's enable rule). */
export function projectLeafTaskStatusOptions(projectId: string): string {
  return `?$select=${selectList(primaryKey(msdyn_projecttask))}&$filter=${lookupValue(TASK.msdyn_project)} eq ${projectId} and ${TASK.msdyn_summary.logicalName} eq false&$expand=${SYNC_ROW_EXPAND}`;
}
