/**
 * The toolbar's filter: free text (task name, work order number, booked resource) and sets of sync and field statuses.
 * Statuses belong to leaf tasks (only leaves go to the field); a task with no task sync row counts as "not synced",
 * one with no field status as "no field work".
 */
import type { TaskRecord, TaskSyncInfo, WorkOrderInfo } from './types';

/** Filter value for tasks that have no pfb_tasksync row / no field status (choice values are ≥ 0). */
export const NOT_SYNCED = -1;
export const NO_FIELD_STATUS = -1;

export interface GridFilter {
  readonly text: string;
  readonly syncStatuses: ReadonlySet<number>;
  readonly fieldStatuses: ReadonlySet<number>;
}

export const NO_FILTER: GridFilter = { text: '', syncStatuses: new Set(), fieldStatuses: new Set() };

export function isFilterActive(f: GridFilter): boolean {
  return f.text.trim() !== '' || f.syncStatuses.size > 0 || f.fieldStatuses.size > 0;
}

export function hasStatusFilter(f: GridFilter): boolean {
  return f.syncStatuses.size > 0 || f.fieldStatuses.size > 0;
}

/** Lower-cased search text, or '' when none. */
export function needleOf(f: GridFilter): string {
  return f.text.trim().toLocaleLowerCase();
}

export function workOrderMatches(needle: string, wo: WorkOrderInfo): boolean {
  if (!needle) return false;
  return wo.name.toLocaleLowerCase().includes(needle) || wo.resources.some((r) => r.toLocaleLowerCase().includes(needle));
}

export function textMatches(needle: string, task: TaskRecord, workOrders: readonly WorkOrderInfo[] | undefined): boolean {
  if (!needle) return true;
  if (task.name.toLocaleLowerCase().includes(needle)) return true;
  return (workOrders ?? []).some((wo) => workOrderMatches(needle, wo));
}

/** Whether a task passes the status filters (summary tasks pass only when no status filter is set). */
export function statusMatches(f: GridFilter, task: TaskRecord, sync: TaskSyncInfo | undefined): boolean {
  if (!hasStatusFilter(f)) return true;
  if (task.isSummary) return false;
  if (f.syncStatuses.size > 0 && !f.syncStatuses.has(sync?.syncStatus ?? NOT_SYNCED)) return false;
  if (f.fieldStatuses.size > 0 && !f.fieldStatuses.has(sync?.fieldStatus ?? NO_FIELD_STATUS)) return false;
  return true;
}
