/** What syncTasks did for one pfb_tasksync row. Every outcome here is final: nothing in it asks for a retry. */
import type { TaskSyncStep } from './taskSyncError';

export interface WorkOrderCounts {
  /** New work orders (UpsertMultiple by key, created). */
  created: number;
  /** Existing work orders rewritten: another window or effort, reactivated after a cancel, or reference data healed. */
  updated: number;
  /** Not-started work orders the plan no longer has (or the whole task, when cancelled), now Canceled. */
  cancelled: number;
  /** Work orders left as they are because their work has started (never cancelled or re-planned). */
  keptStarted: number;
  unchanged: number;
  /** Resource requirements set to the slot's role, duration and window. */
  requirementsUpdated: number;
}

export type TaskSyncOutcome =
  | {
      readonly kind: 'synced';
      readonly taskSyncId: string;
      readonly taskId: string;
      readonly taskName: string;
      readonly plannedWorkOrders: number;
      readonly fingerprint: string;
      readonly workOrders: WorkOrderCounts;
    }
  | {
      /** Permanent: validation, planning, or a Dataverse refusal isolated to this task. The row is Failed. */
      readonly kind: 'failed';
      readonly taskSyncId: string;
      readonly taskId: string | null;
      readonly step: TaskSyncStep | 'validate' | 'plan';
      /** What pfb_lasterror says. */
      readonly reason: string;
    }
  | {
      /** The row is Cancelled: its task's not-started work orders were cancelled; the row stays Cancelled. */
      readonly kind: 'cancelled';
      readonly taskSyncId: string;
      readonly taskId: string;
      readonly workOrders: WorkOrderCounts;
    }
  | {
      /** Synced or Out of Date: nothing to do for this message (a duplicate, or the echo of the bridge's own write). */
      readonly kind: 'skipped';
      readonly taskSyncId: string;
      readonly syncStatus: number;
    }
  | { readonly kind: 'notFound'; readonly taskSyncId: string };

export const noWorkOrderChanges = (): WorkOrderCounts => ({ created: 0, updated: 0, cancelled: 0, keptStarted: 0, unchanged: 0, requirementsUpdated: 0 });
