/**
 * The exact column values the bridge writes (logical names from the schema module; a test checks every key against
 * it). Values are rounded to the columns' 2 decimals here and only here, and kept inside the columns' ranges so a
 * write never fails on an out-of-range decimal. Times are UTC ISO to the second, null when not (yet) known.
 */
import type { BookingState } from '../lifecycle/bookingLifecycle';
import { fieldStageChoice } from '../mapping/fieldStageChoice';
import { fieldStatusChoice } from '../mapping/fieldStatus';
import { workOrderStatusFromCounts } from '../mapping/workOrderStatus';
import { pfb_projectprogress, pfb_tasksync, type ColumnDef } from '../schema';
import type { ProjectAggregate } from './projectRollup';
import { taskCompletion, taskStatus, type TaskAggregate } from './taskRollup';
import { clamp, hoursFromSeconds, round2 } from './units';
import type { WorkOrderAggregate } from './workOrderRollup';

/** bookableresourcebooking: the field stage and actuals (the booking status lookup follows the stage, mapping/). */
export interface BookingColumns {
  pfb_fieldstage: number;
  pfb_fieldstageon: string;
  pfb_fieldsequence: number;
  pfb_actualstart: string | null;
  pfb_actualend: string | null;
  pfb_actualeffort: number | null;
  pfb_incompletereason: string | null;
  /** Field Service's arrival time: the first Onsite. */
  msdyn_actualarrivaltime: string | null;
  /** Field Service's travel minutes (integer): first Onsite − first Travel. */
  msdyn_actualtravelduration: number | null;
}

/** msdyn_workorder: the system status Field Service derives from the bookings (mapping/workOrderStatus.ts). */
export interface WorkOrderColumns {
  msdyn_systemstatus: number;
}

export interface TaskSyncColumns {
  pfb_actualstart: string | null;
  pfb_actualend: string | null;
  pfb_actualeffort: number;
  pfb_effortvariance: number;
  /** null when the task has no estimate (a % of zero is undefined). */
  pfb_effortvariancepct: number | null;
  pfb_percentcomplete: number;
  pfb_workorderscompleted: number;
  pfb_workordersincomplete: number;
  pfb_fieldstatus: number;
}

export interface ProjectProgressColumns {
  pfb_percentcomplete: number;
  pfb_taskscompleted: number;
  pfb_taskstotal: number;
  pfb_actualstart: string | null;
  pfb_actualend: string | null;
  pfb_actualeffort: number;
  pfb_estimatedeffort: number;
  pfb_effortvariance: number;
  pfb_lastfieldupdate: string | null;
}

function within(column: ColumnDef | undefined, value: number): number {
  if (!column) throw new Error('Schema: a roll-up column is missing from the schema module.');
  return clamp(value, column.minValue ?? -Infinity, column.maxValue ?? Infinity);
}

const T = pfb_tasksync.columns;
const P = pfb_projectprogress.columns;

export function bookingColumns(state: BookingState): BookingColumns {
  return {
    pfb_fieldstage: fieldStageChoice(state.stage),
    pfb_fieldstageon: state.stageAt,
    pfb_fieldsequence: state.highestSequence,
    pfb_actualstart: state.actualStart,
    pfb_actualend: state.actualEnd,
    pfb_actualeffort: state.actualEffortHours === null ? null : hoursFromSeconds(Math.round(state.actualEffortHours * 3600)),
    pfb_incompletereason: state.incompleteReason,
    msdyn_actualarrivaltime: state.firstAt.Onsite ?? null,
    msdyn_actualtravelduration: state.travelMinutes === null ? null : Math.round(state.travelMinutes),
  };
}

/** `current` is the work order's system status now (Posted and Canceled are final). */
export function workOrderColumns(wo: WorkOrderAggregate, current: number): WorkOrderColumns {
  return {
    msdyn_systemstatus: workOrderStatusFromCounts({ scheduled: wo.scheduled, active: wo.active, completing: wo.complete, nonCompleting: wo.incomplete }, current),
  };
}

export function taskSyncColumns(task: TaskAggregate): TaskSyncColumns {
  const status = taskStatus(task);
  const { numerator, denominator } = taskCompletion(task);
  const variance = task.effortSeconds - task.estimateSeconds;
  return {
    pfb_actualstart: task.start.value,
    pfb_actualend: status === 'Completed' || status === 'Incomplete' ? task.end.value : null,
    pfb_actualeffort: within(T['pfb_actualeffort'], hoursFromSeconds(task.effortSeconds)),
    pfb_effortvariance: within(T['pfb_effortvariance'], hoursFromSeconds(variance)),
    pfb_effortvariancepct: task.estimateSeconds > 0 ? within(T['pfb_effortvariancepct'], round2(variance, task.estimateSeconds, 100)) : null,
    pfb_percentcomplete: within(T['pfb_percentcomplete'], round2(numerator, denominator, 100)),
    pfb_workorderscompleted: task.completed,
    pfb_workordersincomplete: task.incomplete,
    pfb_fieldstatus: fieldStatusChoice(status),
  };
}

export function projectProgressColumns(project: ProjectAggregate): ProjectProgressColumns {
  const percent =
    project.estimateSeconds > 0 ? round2(project.earnedSeconds, project.estimateSeconds, 100) : project.tasks > 0 ? round2(project.completed, project.tasks, 100) : 0;
  return {
    pfb_percentcomplete: within(P['pfb_percentcomplete'], percent),
    pfb_taskscompleted: project.completed,
    pfb_taskstotal: project.tasks,
    pfb_actualstart: project.start.value,
    pfb_actualend: project.tasks > 0 && project.finished === project.tasks ? project.end.value : null,
    pfb_actualeffort: within(P['pfb_actualeffort'], hoursFromSeconds(project.effortSeconds)),
    pfb_estimatedeffort: within(P['pfb_estimatedeffort'], hoursFromSeconds(project.estimateSeconds)),
    pfb_effortvariance: within(P['pfb_effortvariance'], hoursFromSeconds(project.effortSeconds - project.estimateSeconds)),
    pfb_lastfieldupdate: project.lastEvent.value,
  };
}
