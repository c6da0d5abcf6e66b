/**
 * Everything a sync needs, read in two `$batch` requests whatever the number of tasks (ids chunked 200 per `In`
 * filter, all chunks in the same batch):
 * 1. the pfb_tasksync rows, each with its task and the task's project (nested single-valued `$expand`);
 * 2. the tasks' resource assignments with their team member and its role (nested `$expand`), the tasks' existing
 *    work orders (by pfb_projecttask) with their bookings and resource requirements (collection `$expand`), and the
 *    booking statuses (a handful of rows, to read each booking's Field Service status).
 * A third read (readNewRequirements) fetches the requirements Field Service created for new work orders.
 */
import {
  bookableresourcebooking,
  bookableresourcecategory,
  bookingstatus,
  msdyn_project,
  msdyn_projectteam,
  msdyn_projecttask,
  msdyn_resourceassignment,
  msdyn_resourcerequirement,
  msdyn_workorder,
  pfb_tasksync,
} from '@pfb/domain';
import type { DataverseClient } from '../dataverse/dataverseClient';
import { batchRead, type Expand, type Query, type Row } from './batchRead';
import {
  ASSIGNMENT,
  BOOKING,
  BOOKING_STATUS,
  ID_CHUNK,
  PROJECT,
  REQUIREMENT,
  ROLE,
  TASK,
  TASK_SYNC,
  TEAM_MEMBER,
  WORK_ORDER,
  chunk,
  collectionOf,
  inFilter,
  lookupProperty,
  navigationOf,
  platformColumn,
  primaryKey,
  selectOf,
} from './names';

const TASK_SYNC_ID = primaryKey(pfb_tasksync);
const TASK_ID = primaryKey(msdyn_projecttask);
const PROJECT_ID = primaryKey(msdyn_project);
const ASSIGNMENT_ID = primaryKey(msdyn_resourceassignment);
const TEAM_MEMBER_ID = primaryKey(msdyn_projectteam);
const ROLE_ID = primaryKey(bookableresourcecategory);
const WORK_ORDER_ID = primaryKey(msdyn_workorder);
const REQUIREMENT_ID = primaryKey(msdyn_resourcerequirement);
const REQUIREMENT_CREATED_ON = platformColumn(msdyn_resourcerequirement, 'createdon');
const BOOKING_STATUS_ID = primaryKey(bookingstatus);

export interface ProjectRow {
  readonly id: string;
  readonly name: string;
  readonly serviceAccountId: string | null;
  readonly priceListId: string | null;
  readonly timeZone: string | null;
  readonly workingHours: string | null;
  readonly fieldEnabled: boolean;
}

export interface TaskRow {
  readonly id: string;
  readonly name: string;
  readonly isSummary: boolean;
  readonly effortHours: number | null;
  readonly start: string | null;
  readonly end: string | null;
  readonly projectId: string;
  readonly project: ProjectRow | null;
}

export interface TaskSyncRow {
  readonly id: string;
  readonly name: string;
  readonly status: number;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly fieldStatus: number | null;
  readonly taskId: string | null;
  readonly task: TaskRow | null;
}

export interface RoleRow {
  readonly id: string;
  readonly name: string;
  readonly workOrderTypeId: string | null;
  readonly characteristicId: string | null;
}

export interface AssignmentRow {
  readonly taskId: string;
  readonly teamMemberId: string;
  readonly teamMemberName: string | null;
  readonly roleId: string | null;
  readonly bookableResourceId: string | null;
  readonly role: RoleRow | null;
}

export interface RequirementRow {
  readonly id: string;
  readonly roleId: string | null;
  readonly durationMinutes: number | null;
  readonly fromDate: string | null;
  readonly toDate: string | null;
  readonly windowStart: string | null;
  readonly windowEnd: string | null;
  readonly createdOn: string | null;
}

export interface BookingRow {
  readonly fieldStage: number | null;
  readonly bookingStatusId: string | null;
}

export interface WorkOrderRow {
  readonly id: string;
  readonly name: string | null;
  readonly taskId: string;
  readonly sourceKey: string | null;
  readonly effortHours: number | null;
  readonly windowStart: string | null;
  readonly windowEnd: string | null;
  readonly systemStatus: number | null;
  readonly serviceAccountId: string | null;
  readonly priceListId: string | null;
  readonly workOrderTypeId: string | null;
  readonly projectId: string | null;
  readonly taskSyncId: string | null;
  readonly slotIndex: number | null;
  readonly summary: string | null;
  readonly bookings: readonly BookingRow[];
  readonly requirements: readonly RequirementRow[];
}

export interface TaskDetails {
  /** By task id (lower case). */
  readonly assignments: ReadonlyMap<string, AssignmentRow[]>;
  readonly workOrders: ReadonlyMap<string, WorkOrderRow[]>;
  /** bookingstatus id → msdyn_fieldservicestatus (null for a status without one, e.g. Proposed). */
  readonly bookingStatuses: ReadonlyMap<string, number | null>;
}

// ---- reading typed values out of Web API rows ----------------------------------------------------------------------

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
/** dynamics-web-api turns ISO date-times in a `$batch` answer into Date objects; plain GETs leave them as text. */
const instant = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : str(v));
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const id = (v: unknown): string | null => (typeof v === 'string' ? v.toLowerCase() : null);
const obj = (v: unknown): Row | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Row) : null);
const rows = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);
export const idKey = (v: string): string => v.toLowerCase();

// ---- 1. task sync rows, tasks, projects ----------------------------------------------------------------------------

const projectExpand: Expand = {
  property: navigationOf(TASK.msdyn_project),
  select: selectOf(PROJECT_ID, PROJECT.msdyn_subject, PROJECT.pfb_serviceaccount, PROJECT.pfb_pricelist, PROJECT.pfb_timezone, PROJECT.pfb_workinghours, PROJECT.pfb_fieldenabled),
};

const taskExpand: Expand = {
  property: navigationOf(TASK_SYNC.pfb_projecttask),
  select: selectOf(TASK_ID, TASK.msdyn_subject, TASK.msdyn_summary, TASK.msdyn_effort, TASK.msdyn_scheduledstart, TASK.msdyn_scheduledend, TASK.msdyn_project),
  expand: [projectExpand],
};

function toProject(r: Row | null): ProjectRow | null {
  if (!r) return null;
  return {
    id: id(r[PROJECT_ID.logicalName]) ?? '',
    name: str(r[PROJECT.msdyn_subject.logicalName]) ?? '',
    serviceAccountId: id(r[lookupProperty(PROJECT.pfb_serviceaccount)]),
    priceListId: id(r[lookupProperty(PROJECT.pfb_pricelist)]),
    timeZone: str(r[PROJECT.pfb_timezone.logicalName]),
    workingHours: str(r[PROJECT.pfb_workinghours.logicalName]),
    fieldEnabled: r[PROJECT.pfb_fieldenabled.logicalName] === true,
  };
}

function toTask(r: Row | null): TaskRow | null {
  if (!r) return null;
  return {
    id: id(r[TASK_ID.logicalName]) ?? '',
    name: str(r[TASK.msdyn_subject.logicalName]) ?? '',
    isSummary: r[TASK.msdyn_summary.logicalName] === true,
    effortHours: num(r[TASK.msdyn_effort.logicalName]),
    start: instant(r[TASK.msdyn_scheduledstart.logicalName]),
    end: instant(r[TASK.msdyn_scheduledend.logicalName]),
    projectId: id(r[lookupProperty(TASK.msdyn_project)]) ?? '',
    project: toProject(obj(r[navigationOf(TASK.msdyn_project)])),
  };
}

function toTaskSync(r: Row): TaskSyncRow {
  return {
    id: id(r[TASK_SYNC_ID.logicalName]) ?? '',
    name: str(r[TASK_SYNC.pfb_name.logicalName]) ?? '',
    status: num(r[TASK_SYNC.pfb_syncstatus.logicalName]) ?? 0,
    attempts: num(r[TASK_SYNC.pfb_attempts.logicalName]) ?? 0,
    lastError: str(r[TASK_SYNC.pfb_lasterror.logicalName]),
    fieldStatus: num(r[TASK_SYNC.pfb_fieldstatus.logicalName]),
    taskId: id(r[lookupProperty(TASK_SYNC.pfb_projecttask)]),
    task: toTask(obj(r[navigationOf(TASK_SYNC.pfb_projecttask)])),
  };
}

/** The pfb_tasksync rows by id (lower case); ids with no row are absent. One request. */
export async function readTaskSyncs(client: DataverseClient, ids: readonly string[]): Promise<Map<string, TaskSyncRow>> {
  const queries: Query[] = chunk(ids, ID_CHUNK).map((part) => ({
    entitySet: pfb_tasksync.entitySetName,
    select: selectOf(
      TASK_SYNC_ID,
      TASK_SYNC.pfb_name,
      TASK_SYNC.pfb_syncstatus,
      TASK_SYNC.pfb_attempts,
      TASK_SYNC.pfb_lasterror,
      TASK_SYNC.pfb_fieldstatus,
      TASK_SYNC.pfb_projecttask,
    ),
    filter: inFilter(TASK_SYNC_ID, part),
    expand: [taskExpand],
  }));
  const result = new Map<string, TaskSyncRow>();
  for (const r of (await batchRead(client, 'read task syncs', queries)).flat()) {
    const row = toTaskSync(r);
    result.set(row.id, row);
  }
  return result;
}

// ---- 2. assignments and roles, work orders with bookings and requirements -----------------------------------------

const requirementSelect = selectOf(
  REQUIREMENT_ID,
  REQUIREMENT.msdyn_resourcecategory,
  REQUIREMENT.msdyn_duration,
  REQUIREMENT.msdyn_fromdate,
  REQUIREMENT.msdyn_todate,
  REQUIREMENT.msdyn_timewindowstart,
  REQUIREMENT.msdyn_timewindowend,
  REQUIREMENT_CREATED_ON,
);
const requirementsNav = collectionOf(msdyn_workorder, msdyn_resourcerequirement, REQUIREMENT.msdyn_workorder);
const bookingsNav = collectionOf(msdyn_workorder, bookableresourcebooking, BOOKING.msdyn_workorder);

function toRequirement(r: Row): RequirementRow {
  return {
    id: id(r[REQUIREMENT_ID.logicalName]) ?? '',
    roleId: id(r[lookupProperty(REQUIREMENT.msdyn_resourcecategory)]),
    durationMinutes: num(r[REQUIREMENT.msdyn_duration.logicalName]),
    fromDate: instant(r[REQUIREMENT.msdyn_fromdate.logicalName]),
    toDate: instant(r[REQUIREMENT.msdyn_todate.logicalName]),
    windowStart: instant(r[REQUIREMENT.msdyn_timewindowstart.logicalName]),
    windowEnd: instant(r[REQUIREMENT.msdyn_timewindowend.logicalName]),
    createdOn: instant(r[REQUIREMENT_CREATED_ON.logicalName]),
  };
}

function toWorkOrder(r: Row): WorkOrderRow {
  return {
    id: id(r[WORK_ORDER_ID.logicalName]) ?? '',
    name: str(r[WORK_ORDER.msdyn_name.logicalName]),
    taskId: id(r[lookupProperty(WORK_ORDER.pfb_projecttask)]) ?? '',
    sourceKey: str(r[WORK_ORDER.pfb_sourcekey.logicalName]),
    effortHours: num(r[WORK_ORDER.pfb_plannedeffort.logicalName]),
    windowStart: instant(r[WORK_ORDER.msdyn_timefrompromised.logicalName]),
    windowEnd: instant(r[WORK_ORDER.msdyn_timetopromised.logicalName]),
    systemStatus: num(r[WORK_ORDER.msdyn_systemstatus.logicalName]),
    serviceAccountId: id(r[lookupProperty(WORK_ORDER.msdyn_serviceaccount)]),
    priceListId: id(r[lookupProperty(WORK_ORDER.msdyn_pricelist)]),
    workOrderTypeId: id(r[lookupProperty(WORK_ORDER.msdyn_workordertype)]),
    projectId: id(r[lookupProperty(WORK_ORDER.pfb_project)]),
    taskSyncId: id(r[lookupProperty(WORK_ORDER.pfb_tasksync)]),
    slotIndex: num(r[WORK_ORDER.pfb_slotindex.logicalName]),
    summary: str(r[WORK_ORDER.msdyn_workordersummary.logicalName]),
    bookings: rows(r[bookingsNav]).map((b) => ({ fieldStage: num(b[BOOKING.pfb_fieldstage.logicalName]), bookingStatusId: id(b[lookupProperty(BOOKING.bookingstatus)]) })),
    requirements: rows(r[requirementsNav]).map(toRequirement),
  };
}

function workOrderQuery(taskIds: readonly string[], withBookings: boolean): Query {
  const expand: Expand[] = [{ property: requirementsNav, select: requirementSelect }];
  if (withBookings) expand.push({ property: bookingsNav, select: selectOf(BOOKING.pfb_fieldstage, BOOKING.bookingstatus) });
  return {
    entitySet: msdyn_workorder.entitySetName,
    select: selectOf(
      WORK_ORDER_ID,
      WORK_ORDER.msdyn_name,
      WORK_ORDER.pfb_projecttask,
      WORK_ORDER.pfb_sourcekey,
      WORK_ORDER.pfb_plannedeffort,
      WORK_ORDER.msdyn_timefrompromised,
      WORK_ORDER.msdyn_timetopromised,
      WORK_ORDER.msdyn_systemstatus,
      WORK_ORDER.msdyn_serviceaccount,
      WORK_ORDER.msdyn_pricelist,
      WORK_ORDER.msdyn_workordertype,
      WORK_ORDER.pfb_project,
      WORK_ORDER.pfb_tasksync,
      WORK_ORDER.pfb_slotindex,
      WORK_ORDER.msdyn_workordersummary,
    ),
    filter: inFilter(WORK_ORDER.pfb_projecttask, taskIds),
    expand,
  };
}

function toAssignment(r: Row): AssignmentRow {
  const member = obj(r[navigationOf(ASSIGNMENT.msdyn_projectteamid)]);
  const role = member ? obj(member[navigationOf(TEAM_MEMBER.msdyn_resourcecategory)]) : null;
  return {
    taskId: id(r[lookupProperty(ASSIGNMENT.msdyn_taskid)]) ?? '',
    teamMemberId: id(r[lookupProperty(ASSIGNMENT.msdyn_projectteamid)]) ?? id(r[ASSIGNMENT_ID.logicalName]) ?? '',
    teamMemberName: member ? str(member[TEAM_MEMBER.msdyn_name.logicalName]) : str(r[ASSIGNMENT.msdyn_name.logicalName]),
    roleId: member ? id(member[lookupProperty(TEAM_MEMBER.msdyn_resourcecategory)]) : null,
    // A generic member has no bookable resource; the assignment's own column is the fallback for one without a member.
    bookableResourceId: member ? id(member[lookupProperty(TEAM_MEMBER.msdyn_bookableresourceid)]) : id(r[lookupProperty(ASSIGNMENT.msdyn_bookableresourceid)]),
    role: role
      ? {
          id: id(role[ROLE_ID.logicalName]) ?? '',
          name: str(role[ROLE.name.logicalName]) ?? '',
          workOrderTypeId: id(role[lookupProperty(ROLE.pfb_workordertype)]),
          characteristicId: id(role[lookupProperty(ROLE.pfb_characteristic)]),
        }
      : null,
  };
}

const assignmentExpand: Expand = {
  property: navigationOf(ASSIGNMENT.msdyn_projectteamid),
  select: selectOf(TEAM_MEMBER_ID, TEAM_MEMBER.msdyn_name, TEAM_MEMBER.msdyn_resourcecategory, TEAM_MEMBER.msdyn_bookableresourceid),
  expand: [{ property: navigationOf(TEAM_MEMBER.msdyn_resourcecategory), select: selectOf(ROLE_ID, ROLE.name, ROLE.pfb_workordertype, ROLE.pfb_characteristic) }],
};

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/**
 * Assignments (with team member and role) of `planTaskIds`, and work orders (with bookings and requirements) of
 * `workOrderTaskIds`. One request.
 */
export async function readTaskDetails(client: DataverseClient, planTaskIds: readonly string[], workOrderTaskIds: readonly string[]): Promise<TaskDetails> {
  const assignmentQueries: Query[] = chunk(planTaskIds, ID_CHUNK).map((part) => ({
    entitySet: msdyn_resourceassignment.entitySetName,
    select: selectOf(ASSIGNMENT_ID, ASSIGNMENT.msdyn_name, ASSIGNMENT.msdyn_taskid, ASSIGNMENT.msdyn_projectteamid, ASSIGNMENT.msdyn_bookableresourceid),
    filter: inFilter(ASSIGNMENT.msdyn_taskid, part),
    expand: [assignmentExpand],
  }));
  const workOrderQueries = chunk(workOrderTaskIds, ID_CHUNK).map((part) => workOrderQuery(part, true));
  const statusQuery: Query = { entitySet: bookingstatus.entitySetName, select: selectOf(BOOKING_STATUS_ID, BOOKING_STATUS.msdyn_fieldservicestatus) };
  const results = await batchRead(client, 'read task details', [...assignmentQueries, ...workOrderQueries, statusQuery]);
  const assignments = results.slice(0, assignmentQueries.length).flat().map(toAssignment);
  const workOrders = results.slice(assignmentQueries.length, assignmentQueries.length + workOrderQueries.length).flat().map(toWorkOrder);
  const statuses = results[results.length - 1] ?? [];
  return {
    assignments: groupBy(assignments, (a) => a.taskId),
    workOrders: groupBy(workOrders, (w) => w.taskId),
    bookingStatuses: new Map(statuses.map((s) => [id(s[BOOKING_STATUS_ID.logicalName]) ?? '', num(s[BOOKING_STATUS.msdyn_fieldservicestatus.logicalName])])),
  };
}

/** The work orders (with their requirements) of `taskIds`, after new ones were written: by source key. One request. */
export async function readWorkOrdersAfterWrite(client: DataverseClient, taskIds: readonly string[]): Promise<Map<string, WorkOrderRow>> {
  const results = await batchRead(
    client,
    'read new requirements',
    chunk(taskIds, ID_CHUNK).map((part) => workOrderQuery(part, false)),
  );
  const out = new Map<string, WorkOrderRow>();
  for (const w of results.flat().map(toWorkOrder)) if (w.sourceKey) out.set(w.sourceKey, w);
  return out;
}
