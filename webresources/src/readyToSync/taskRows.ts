/**
 * Web API rows of the Ready to Sync read → the domain's plain validation inputs. No rule lives here: only reading
 * values out of rows (`_x_value` lookups, expanded navigation properties), ids in lower case.
 */
import type { ValidationAssignment, ValidationProject, ValidationRole, ValidationTask } from '@pfb/domain';
import {
  ASSIGNMENT,
  PROJECT,
  ROLE,
  TASK,
  TASK_SYNC,
  TEAM_MEMBER,
  bookableresourcecategory,
  lookupValue,
  msdyn_project,
  msdyn_projectteam,
  msdyn_projecttask,
  navigationOf,
  pfb_tasksync,
  primaryKey,
} from '../names';
import { normalizeId } from '../platform/ids';
import type { Row } from '../platform/ports';
import { ASSIGNMENTS_OF_TASK, SYNC_ROWS_OF_TASK } from './taskQuery';

/** A task's pfb_tasksync row, when it has one. */
export interface SyncRow {
  readonly id: string;
  readonly status: number | null;
}

/** One task as read: what validation needs, and its current sync row. */
export interface TaskRecord {
  readonly task: ValidationTask;
  readonly project: ValidationProject | null;
  readonly roles: readonly ValidationRole[];
  readonly syncRow: SyncRow | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Row | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Row) : null);
const rows = (v: unknown): Row[] => (Array.isArray(v) ? (v as unknown[]).filter((r): r is Row => typeof r === 'object' && r !== null) : []);
/** Date-times arrive as ISO text from the Web API (and as Date objects from some clients). */
const instant = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : str(v));

function project(r: Row | null): ValidationProject | null {
  const id = r ? normalizeId(r[primaryKey(msdyn_project).logicalName]) : null;
  if (!r || !id) return null;
  return {
    id,
    name: str(r[PROJECT.msdyn_subject.logicalName]) ?? '',
    serviceAccountId: normalizeId(r[lookupValue(PROJECT.pfb_serviceaccount)]),
    priceListId: normalizeId(r[lookupValue(PROJECT.pfb_pricelist)]),
    timeZone: str(r[PROJECT.pfb_timezone.logicalName]),
    workingHours: str(r[PROJECT.pfb_workinghours.logicalName]),
    fieldEnabled: r[PROJECT.pfb_fieldenabled.logicalName] === true,
  };
}

function role(r: Row | null): ValidationRole | null {
  const id = r ? normalizeId(r[primaryKey(bookableresourcecategory).logicalName]) : null;
  if (!r || !id) return null;
  return {
    id,
    name: str(r[ROLE.name.logicalName]) ?? '',
    workOrderTypeId: normalizeId(r[lookupValue(ROLE.pfb_workordertype)]),
    characteristicId: normalizeId(r[lookupValue(ROLE.pfb_characteristic)]),
  };
}

function assignment(r: Row): { assignment: ValidationAssignment; role: ValidationRole | null } | null {
  const member = obj(r[navigationOf(ASSIGNMENT.msdyn_projectteamid)]);
  const memberId = normalizeId(r[lookupValue(ASSIGNMENT.msdyn_projectteamid)]) ?? (member ? normalizeId(member[primaryKey(msdyn_projectteam).logicalName]) : null);
  if (!memberId) return null;
  const roleRow = member ? role(obj(member[navigationOf(TEAM_MEMBER.msdyn_resourcecategory)])) : null;
  return {
    assignment: {
      teamMemberId: memberId,
      teamMemberName: member ? str(member[TEAM_MEMBER.msdyn_name.logicalName]) : null,
      roleId: member ? normalizeId(member[lookupValue(TEAM_MEMBER.msdyn_resourcecategory)]) : null,
      roleName: roleRow?.name ?? null,
      bookableResourceId: member ? normalizeId(member[lookupValue(TEAM_MEMBER.msdyn_bookableresourceid)]) : null,
    },
    role: roleRow,
  };
}

function syncRow(r: Row | undefined): SyncRow | null {
  const id = r ? normalizeId(r[primaryKey(pfb_tasksync).logicalName]) : null;
  return r && id ? { id, status: num(r[TASK_SYNC.pfb_syncstatus.logicalName]) } : null;
}

/** A task row of taskQuery's read; null when it carries no id (never expected from the Web API). */
export function toTaskRecord(r: Row): TaskRecord | null {
  const id = normalizeId(r[primaryKey(msdyn_projecttask).logicalName]);
  if (!id) return null;
  const read = rows(r[ASSIGNMENTS_OF_TASK]).map(assignment).filter((a): a is NonNullable<typeof a> => a !== null);
  const sync = syncRow(rows(r[SYNC_ROWS_OF_TASK])[0]);
  const proj = project(obj(r[navigationOf(TASK.msdyn_project)]));
  return {
    task: {
      id,
      name: str(r[TASK.msdyn_subject.logicalName]) ?? id,
      projectId: normalizeId(r[lookupValue(TASK.msdyn_project)]) ?? proj?.id ?? '',
      isSummary: r[TASK.msdyn_summary.logicalName] === true,
      effortHours: num(r[TASK.msdyn_effort.logicalName]),
      start: instant(r[TASK.msdyn_scheduledstart.logicalName]),
      end: instant(r[TASK.msdyn_scheduledend.logicalName]),
      assignments: read.map((a) => a.assignment),
      syncStatus: sync?.status ?? null,
    },
    project: proj,
    roles: read.flatMap((a) => (a.role ? [a.role] : [])),
    syncRow: sync,
  };
}

/** pfb_tasksync rows of syncRowsOfTasksOptions → status by task id (tasks without a row are absent). */
export function statusesByTask(syncRows: readonly Row[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const r of syncRows) {
    const taskId = normalizeId(r[lookupValue(TASK_SYNC.pfb_projecttask)]);
    if (taskId) out.set(taskId, num(r[TASK_SYNC.pfb_syncstatus.logicalName]));
  }
  return out;
}

/** A task of tasksWithSyncRowOptions: its name and its sync row. */
export function toTaskWithSyncRow(r: Row): { readonly taskId: string; readonly taskName: string; readonly syncRow: SyncRow | null } | null {
  const taskId = normalizeId(r[primaryKey(msdyn_projecttask).logicalName]);
  if (!taskId) return null;
  return { taskId, taskName: str(r[TASK.msdyn_subject.logicalName]) ?? taskId, syncRow: syncRow(rows(r[SYNC_ROWS_OF_TASK])[0]) };
}

/** Tasks of projectLeafTaskStatusOptions → status by task id, null for a task without a row. */
export function statusesOfTaskRows(taskRows: readonly Row[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const r of taskRows) {
    const id = normalizeId(r[primaryKey(msdyn_projecttask).logicalName]);
    if (id) out.set(id, syncRow(rows(r[SYNC_ROWS_OF_TASK])[0])?.status ?? null);
  }
  return out;
}
