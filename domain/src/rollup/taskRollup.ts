/**
 * Work orders → task (`pfb_tasksync`, DESIGN §4): actual effort = Σ booking effort over its work orders; variance =
 * actual − estimate; % complete = planned effort of completed work orders ÷ planned effort of all its work orders;
 * completed when all its work orders are. O(1) per work order change (sums, counts, counted extremes).
 *
 * When no work order has planned effort (all 0), % complete falls back to completed ÷ all work orders; with no work
 * orders it is 0.
 */
import { taskFieldStatusName, type FieldStatusName } from '../mapping/fieldStatus';
import { NO_EXTREME, type Extreme } from './extreme';
import { moveExtreme } from './rescan';
import { secondsFromHours } from './units';
import type { WorkOrderRollup } from './workOrderRollup';

export interface TaskAggregate {
  /** The task's estimate (pfb_tasksync.pfb_plannedeffort), in seconds. */
  readonly estimateSeconds: number;
  readonly workOrders: number;
  readonly completed: number;
  readonly incomplete: number;
  /** Work orders with a booking at Travel or later (or finished). */
  readonly started: number;
  readonly plannedSeconds: number;
  readonly completedPlannedSeconds: number;
  readonly effortSeconds: number;
  readonly start: Extreme;
  readonly end: Extreme;
  readonly lastEvent: Extreme;
}

/** What a task contributes to its project. */
export interface TaskRollup {
  readonly estimateSeconds: number;
  /** estimate × fraction complete, in whole seconds: the project's % complete is Σ earned ÷ Σ estimate. */
  readonly earnedSeconds: number;
  readonly status: FieldStatusName;
  readonly effortSeconds: number;
  readonly actualStart: string | null;
  /** Latest work order end, once the task has finished (Completed or Incomplete); else null. */
  readonly actualEnd: string | null;
  readonly lastEventAt: string | null;
}

export function emptyTask(estimateHours: number): TaskAggregate {
  return {
    estimateSeconds: secondsFromHours(estimateHours, 'A task estimate'),
    workOrders: 0,
    completed: 0,
    incomplete: 0,
    started: 0,
    plannedSeconds: 0,
    completedPlannedSeconds: 0,
    effortSeconds: 0,
    start: NO_EXTREME,
    end: NO_EXTREME,
    lastEvent: NO_EXTREME,
  };
}

/** The task was re-estimated; its project's contribution changes too (applyTaskChange). */
export function withTaskEstimate(task: TaskAggregate, estimateHours: number): TaskAggregate {
  return { ...task, estimateSeconds: secondsFromHours(estimateHours, 'A task estimate') };
}

function tally(w: WorkOrderRollup | null): { n: number; completed: number; incomplete: number; started: number; planned: number; completedPlanned: number; effort: number } {
  if (!w) return { n: 0, completed: 0, incomplete: 0, started: 0, planned: 0, completedPlanned: 0, effort: 0 };
  const completed = w.phase === 'Completed' ? 1 : 0;
  return {
    n: 1,
    completed,
    incomplete: w.phase === 'Incomplete' ? 1 : 0,
    started: w.phase === 'NotStarted' ? 0 : 1,
    planned: w.plannedSeconds,
    completedPlanned: completed * w.plannedSeconds,
    effort: w.effortSeconds,
  };
}

/**
 * Replaces one work order's contribution (`null` before: added; `null` after: removed). `workOrders` lists the
 * task's work orders after the change, read only when an extreme must be rescanned (extreme.ts).
 */
export function applyWorkOrderChange(
  task: TaskAggregate,
  before: WorkOrderRollup | null,
  after: WorkOrderRollup | null,
  workOrders?: () => Iterable<WorkOrderRollup>,
): TaskAggregate {
  if (before === after) return task;
  const b = tally(before);
  const a = tally(after);
  return {
    estimateSeconds: task.estimateSeconds,
    workOrders: task.workOrders - b.n + a.n,
    completed: task.completed - b.completed + a.completed,
    incomplete: task.incomplete - b.incomplete + a.incomplete,
    started: task.started - b.started + a.started,
    plannedSeconds: task.plannedSeconds - b.planned + a.planned,
    completedPlannedSeconds: task.completedPlannedSeconds - b.completedPlanned + a.completedPlanned,
    effortSeconds: task.effortSeconds - b.effort + a.effort,
    start: moveExtreme(task.start, before?.actualStart ?? null, after?.actualStart ?? null, 'min', workOrders, (w) => w.actualStart, 'task actual start'),
    end: moveExtreme(task.end, before?.actualEnd ?? null, after?.actualEnd ?? null, 'max', workOrders, (w) => w.actualEnd, 'task actual end'),
    lastEvent: moveExtreme(task.lastEvent, before?.lastEventAt ?? null, after?.lastEventAt ?? null, 'max', workOrders, (w) => w.lastEventAt, 'task last event'),
  };
}

/** The aggregate from scratch: what the bridge uses after a restart, and the reference the tests hold it to. */
export function recomputeTask(estimateHours: number, workOrders: Iterable<WorkOrderRollup>): TaskAggregate {
  let task = emptyTask(estimateHours);
  for (const w of workOrders) task = applyWorkOrderChange(task, null, w);
  return task;
}

export function taskStatus(task: TaskAggregate): FieldStatusName {
  return taskFieldStatusName({ workOrders: task.workOrders, completed: task.completed, incomplete: task.incomplete, started: task.started });
}

/** Fraction complete as integers (numerator ≤ denominator), so outputs round once from exact values. */
export function taskCompletion(task: TaskAggregate): { numerator: number; denominator: number } {
  if (task.plannedSeconds > 0) return { numerator: task.completedPlannedSeconds, denominator: task.plannedSeconds };
  if (task.workOrders > 0) return { numerator: task.completed, denominator: task.workOrders };
  return { numerator: 0, denominator: 1 };
}

export function taskRollup(task: TaskAggregate): TaskRollup {
  const status = taskStatus(task);
  const { numerator, denominator } = taskCompletion(task);
  return {
    estimateSeconds: task.estimateSeconds,
    earnedSeconds: Math.round((task.estimateSeconds * numerator) / denominator),
    status,
    effortSeconds: task.effortSeconds,
    actualStart: task.start.value,
    actualEnd: status === 'Completed' || status === 'Incomplete' ? task.end.value : null,
    lastEventAt: task.lastEvent.value,
  };
}

export function sameTaskRollup(a: TaskRollup | null, b: TaskRollup | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.estimateSeconds === b.estimateSeconds &&
    a.earnedSeconds === b.earnedSeconds &&
    a.status === b.status &&
    a.effortSeconds === b.effortSeconds &&
    a.actualStart === b.actualStart &&
    a.actualEnd === b.actualEnd &&
    a.lastEventAt === b.lastEventAt
  );
}
