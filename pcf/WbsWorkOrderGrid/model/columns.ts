/** The grid's columns: widths, and the dataset column behind the ones the server can sort. */
import { msdyn_projecttask } from '../../shared/schemaNames';
import type { GridStringKey } from '../gridStrings';

export type ColumnKey = 'select' | 'task' | 'start' | 'finish' | 'effort' | 'roles' | 'sync' | 'scenario' | 'workorders' | 'field' | 'actual' | 'percent';

export interface ColumnDef {
  readonly key: ColumnKey;
  readonly width: number;
  readonly label?: GridStringKey;
  /** Dataset column to sort on; related (field) columns come from the Web API and are not server-sortable. */
  readonly sortField?: string;
  readonly numeric?: boolean;
}

const T = msdyn_projecttask.columns;

export const COLUMNS: readonly ColumnDef[] = [
  { key: 'select', width: 44 },
  { key: 'task', width: 300, label: 'Col_Task', sortField: T.msdyn_subject },
  { key: 'start', width: 144, label: 'Col_Start', sortField: T.msdyn_scheduledstart },
  { key: 'finish', width: 144, label: 'Col_Finish', sortField: T.msdyn_scheduledend },
  { key: 'effort', width: 90, label: 'Col_Effort', sortField: T.msdyn_effort, numeric: true },
  { key: 'roles', width: 190, label: 'Col_Roles' },
  { key: 'sync', width: 116, label: 'Col_SyncStatus' },
  { key: 'scenario', width: 210, label: 'Col_Scenario' },
  { key: 'workorders', width: 116, label: 'Col_WorkOrders' },
  { key: 'field', width: 116, label: 'Col_FieldStatus' },
  { key: 'actual', width: 210, label: 'Col_ActualVsEstimate' },
  { key: 'percent', width: 120, label: 'Col_PercentComplete', numeric: true },
];

export const TOTAL_WIDTH = COLUMNS.reduce((sum, c) => sum + c.width, 0);

/** Widths for the space available: the task column takes what is left over. */
export function columnWidths(available: number | null): ReadonlyMap<ColumnKey, number> {
  const extra = available !== null && available > TOTAL_WIDTH ? available - TOTAL_WIDTH : 0;
  return new Map(COLUMNS.map((c) => [c.key, c.key === 'task' ? c.width + extra : c.width]));
}
