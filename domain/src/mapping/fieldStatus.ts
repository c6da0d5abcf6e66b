/**
 * A task's field status (pfb_tasksync.pfb_fieldstatus) from its work orders:
 * - Completed: it has work orders and all are completed;
 * - Incomplete: all have finished (every booking ended) and at least one ended Incomplete — the coordinator or
 *   dispatcher must act (rebook or re-plan);
 * - In Progress: any work order has started (a booking reached Travel or later);
 * - Not Started: otherwise, including a task whose work orders are only booked or acknowledged.
 */
import { FieldStatus } from '../schema';

export type FieldStatusName = 'NotStarted' | 'InProgress' | 'Completed' | 'Incomplete';

export interface WorkOrderCounts {
  readonly workOrders: number;
  readonly completed: number;
  readonly incomplete: number;
  readonly started: number;
}

export function taskFieldStatusName(c: WorkOrderCounts): FieldStatusName {
  if (c.workOrders > 0 && c.completed === c.workOrders) return 'Completed';
  if (c.workOrders > 0 && c.incomplete > 0 && c.completed + c.incomplete === c.workOrders) return 'Incomplete';
  if (c.started > 0) return 'InProgress';
  return 'NotStarted';
}

/** The pfb_fieldstatus choice value of a field status. */
export function fieldStatusChoice(name: FieldStatusName): number {
  return FieldStatus[name];
}

export function taskFieldStatus(c: WorkOrderCounts): number {
  return fieldStatusChoice(taskFieldStatusName(c));
}
