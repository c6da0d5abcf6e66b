/** Plain data the grid renders: tasks from the dataset, and what the field side knows about them. */

/** A WBS task as read from the dataset (values the platform formatted are kept as text). */
export interface TaskRecord {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly projectId: string | null;
  readonly projectName: string;
  readonly isSummary: boolean;
  readonly start: string;
  readonly finish: string;
  readonly effortHours: number | null;
  readonly effort: string;
}

/** The task's `pfb_tasksync` row: its sync state, plan and field actuals. */
export interface TaskSyncInfo {
  readonly id: string;
  readonly taskId: string;
  readonly syncStatus: number | null;
  readonly syncStatusLabel: string | null;
  readonly scenario: number | null;
  readonly scenarioLabel: string | null;
  readonly fieldStatus: number | null;
  readonly fieldStatusLabel: string | null;
  readonly lastError: string | null;
  readonly plannedEffort: number | null;
  readonly actualEffort: number | null;
  readonly effortVariance: number | null;
  readonly effortVariancePct: number | null;
  readonly percentComplete: number | null;
  readonly plannedWorkOrders: number | null;
  readonly workOrdersCompleted: number | null;
  readonly workOrdersIncomplete: number | null;
}

export interface WorkOrderInfo {
  readonly id: string;
  readonly taskId: string;
  readonly name: string;
  readonly systemStatus: number | null;
  readonly systemStatusLabel: string | null;
  readonly windowStart: string | null;
  readonly windowEnd: string | null;
  readonly plannedEffort: number | null;
  readonly slotIndex: number | null;
  /** Named resources booked on it (not counting cancelled bookings), in booking order. */
  readonly resources: readonly string[];
}

export interface RoleNeed {
  readonly role: string;
  readonly count: number;
}

export interface RelatedData {
  readonly syncs: ReadonlyMap<string, TaskSyncInfo>;
  readonly workOrders: ReadonlyMap<string, readonly WorkOrderInfo[]>;
  readonly roles: ReadonlyMap<string, readonly RoleNeed[]>;
}

export const EMPTY_RELATED: RelatedData = { syncs: new Map(), workOrders: new Map(), roles: new Map() };

/** Related data of more tasks merged over older (newer rows win per task). */
export function mergeRelated(older: RelatedData, newer: RelatedData, coveredTaskIds: Iterable<string>): RelatedData {
  const syncs = new Map(older.syncs);
  const workOrders = new Map(older.workOrders);
  const roles = new Map(older.roles);
  // Tasks the newer read covered replace what was known about them, including "nothing any more".
  for (const id of coveredTaskIds) {
    syncs.delete(id);
    workOrders.delete(id);
    roles.delete(id);
  }
  for (const [k, v] of newer.syncs) syncs.set(k, v);
  for (const [k, v] of newer.workOrders) workOrders.set(k, v);
  for (const [k, v] of newer.roles) roles.set(k, v);
  return { syncs, workOrders, roles };
}
