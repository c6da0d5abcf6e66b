/**
 * The whole cascade for one program in memory: event → booking state → work order → task → project, each step an O(1)
 * replacement of one child's contribution (rescans of one parent's children only in the rare case of extreme.ts).
 * The field-event worker keeps one per process, built from persisted booking states with `buildRollupIndex` (a full
 * recompute) after a restart, and writes the rows each `applyFieldEvent` reports as changed. No I/O.
 */
import { applyEvent, type BookingState, type EventOutcomeName } from '../lifecycle/bookingLifecycle';
import type { FieldEvent } from '../lifecycle/fieldEvent';
import { WorkOrderSystemStatus } from '../schema';
import { bookingRollup, sameBookingRollup, type BookingRollup } from './bookingRollup';
import {
  bookingColumns,
  projectProgressColumns,
  taskSyncColumns,
  workOrderColumns,
  type BookingColumns,
  type ProjectProgressColumns,
  type TaskSyncColumns,
  type WorkOrderColumns,
} from './columns';
import { applyTaskChange, EMPTY_PROJECT, type ProjectAggregate } from './projectRollup';
import { applyWorkOrderChange, emptyTask, sameTaskRollup, taskRollup, withTaskEstimate, type TaskAggregate, type TaskRollup } from './taskRollup';
import { applyBookingChange, emptyWorkOrder, sameWorkOrderRollup, workOrderRollup, type WorkOrderAggregate, type WorkOrderRollup } from './workOrderRollup';

/** The program's structure: its field tasks (pfb_tasksync rows), their work orders and the bookings on them. */
export interface ProgramShape {
  readonly tasks: readonly { readonly taskId: string; readonly projectId: string; readonly estimateHours: number }[];
  readonly workOrders: readonly { readonly workOrderId: string; readonly taskId: string; readonly plannedEffortHours: number; readonly systemStatus?: number }[];
  readonly bookings: readonly { readonly bookingId: string; readonly workOrderId: string }[];
}

export interface ProjectNode {
  readonly id: string;
  agg: ProjectAggregate;
  readonly tasks: TaskNode[];
}
export interface TaskNode {
  readonly id: string;
  readonly project: ProjectNode;
  agg: TaskAggregate;
  rollup: TaskRollup;
  readonly workOrders: WorkOrderNode[];
}
export interface WorkOrderNode {
  readonly id: string;
  readonly task: TaskNode;
  agg: WorkOrderAggregate;
  rollup: WorkOrderRollup;
  systemStatus: number;
  readonly bookings: BookingNode[];
}
export interface BookingNode {
  readonly id: string;
  readonly workOrder: WorkOrderNode;
  state: BookingState | undefined;
  rollup: BookingRollup;
}

export interface RollupIndex {
  readonly projects: Map<string, ProjectNode>;
  readonly tasks: Map<string, TaskNode>;
  readonly workOrders: Map<string, WorkOrderNode>;
  readonly bookings: Map<string, BookingNode>;
}

/** The rows whose columns changed, with their new values. */
export interface RollupEffect {
  booking?: { readonly id: string; readonly state: BookingState; readonly columns: BookingColumns };
  workOrder?: { readonly id: string; readonly columns: WorkOrderColumns };
  task?: { readonly id: string; readonly columns: TaskSyncColumns };
  project?: { readonly id: string; readonly columns: ProjectProgressColumns };
}

export interface FieldEventEffect extends RollupEffect {
  readonly outcome: EventOutcomeName;
  readonly changed: boolean;
}

function need<T>(map: Map<string, T>, id: string, what: string): T {
  const v = map.get(id);
  if (!v) throw new Error(`The roll-up index has no ${what} ${id}; add it (buildRollupIndex / addBooking) before applying its events.`);
  return v;
}

/** Builds every aggregate from scratch (the full recompute) from the shape and the bookings' persisted states. */
export function buildRollupIndex(shape: ProgramShape, states: Iterable<BookingState> = []): RollupIndex {
  const index: RollupIndex = { projects: new Map(), tasks: new Map(), workOrders: new Map(), bookings: new Map() };
  for (const t of shape.tasks) {
    let project = index.projects.get(t.projectId);
    if (!project) {
      project = { id: t.projectId, agg: EMPTY_PROJECT, tasks: [] };
      index.projects.set(t.projectId, project);
    }
    const agg = emptyTask(t.estimateHours);
    const task: TaskNode = { id: t.taskId, project, agg, rollup: taskRollup(agg), workOrders: [] };
    project.tasks.push(task);
    index.tasks.set(t.taskId, task);
  }
  for (const w of shape.workOrders) {
    const task = need(index.tasks, w.taskId, 'task');
    const agg = emptyWorkOrder(w.plannedEffortHours);
    const wo: WorkOrderNode = { id: w.workOrderId, task, agg, rollup: workOrderRollup(agg), systemStatus: w.systemStatus ?? WorkOrderSystemStatus.Unscheduled, bookings: [] };
    task.workOrders.push(wo);
    index.workOrders.set(w.workOrderId, wo);
  }
  const byBooking = new Map<string, BookingState>();
  for (const s of states) byBooking.set(s.bookingId, s);
  for (const b of shape.bookings) {
    const workOrder = need(index.workOrders, b.workOrderId, 'work order');
    const state = byBooking.get(b.bookingId);
    const booking: BookingNode = { id: b.bookingId, workOrder, state, rollup: bookingRollup(state) };
    workOrder.bookings.push(booking);
    index.bookings.set(b.bookingId, booking);
  }
  // Bottom-up, adding only: no extreme ever needs a rescan here.
  for (const project of index.projects.values()) {
    for (const task of project.tasks) {
      for (const wo of task.workOrders) {
        for (const b of wo.bookings) wo.agg = applyBookingChange(wo.agg, null, b.rollup);
        wo.rollup = workOrderRollup(wo.agg);
        wo.systemStatus = workOrderColumns(wo.agg, wo.systemStatus).msdyn_systemstatus;
        task.agg = applyWorkOrderChange(task.agg, null, wo.rollup);
      }
      task.rollup = taskRollup(task.agg);
      project.agg = applyTaskChange(project.agg, null, task.rollup);
    }
  }
  return index;
}

function cascadeTask(task: TaskNode, agg: TaskAggregate, effect: RollupEffect): void {
  task.agg = agg;
  effect.task = { id: task.id, columns: taskSyncColumns(agg) };
  const before = task.rollup;
  const after = taskRollup(agg);
  if (sameTaskRollup(before, after)) return;
  task.rollup = after;
  const project = task.project;
  project.agg = applyTaskChange(project.agg, before, after, () => project.tasks.map((t) => t.rollup));
  effect.project = { id: project.id, columns: projectProgressColumns(project.agg) };
}

function cascadeWorkOrder(wo: WorkOrderNode, agg: WorkOrderAggregate, effect: RollupEffect): void {
  wo.agg = agg;
  const status = workOrderColumns(agg, wo.systemStatus);
  if (status.msdyn_systemstatus !== wo.systemStatus) {
    wo.systemStatus = status.msdyn_systemstatus;
    effect.workOrder = { id: wo.id, columns: status };
  }
  const before = wo.rollup;
  const after = workOrderRollup(agg);
  if (sameWorkOrderRollup(before, after)) return;
  wo.rollup = after;
  const task = wo.task;
  cascadeTask(task, applyWorkOrderChange(task.agg, before, after, () => task.workOrders.map((w) => w.rollup)), effect);
}

function cascadeBooking(booking: BookingNode, after: BookingRollup | null, effect: RollupEffect): void {
  const before = booking.rollup;
  if (after && sameBookingRollup(before, after)) return;
  const wo = booking.workOrder;
  const alive = (): BookingRollup[] => wo.bookings.map((b) => b.rollup);
  if (after) booking.rollup = after;
  cascadeWorkOrder(wo, applyBookingChange(wo.agg, before, after, alive), effect);
}

/** Applies one (valid) mobility event and rolls it up; reports the rows to write. */
export function applyFieldEvent(index: RollupIndex, event: FieldEvent): FieldEventEffect {
  const booking = need(index.bookings, event.bookingId, 'booking');
  const r = applyEvent(booking.state, event);
  if (!r.changed) return { outcome: r.outcome, changed: false };
  booking.state = r.state;
  const effect: RollupEffect = { booking: { id: booking.id, state: r.state, columns: bookingColumns(r.state) } };
  cascadeBooking(booking, bookingRollup(r.state), effect);
  return { outcome: r.outcome, changed: true, ...effect };
}

/** A booking was added to a work order (e.g. the dispatcher rebooked an Incomplete visit). */
export function addBooking(index: RollupIndex, bookingId: string, workOrderId: string, state?: BookingState): RollupEffect {
  if (index.bookings.has(bookingId)) throw new Error(`Booking ${bookingId} is already in the roll-up index.`);
  const wo = need(index.workOrders, workOrderId, 'work order');
  const booking: BookingNode = { id: bookingId, workOrder: wo, state, rollup: bookingRollup(state) };
  wo.bookings.push(booking);
  index.bookings.set(bookingId, booking);
  const effect: RollupEffect = {};
  cascadeWorkOrder(wo, applyBookingChange(wo.agg, null, booking.rollup), effect);
  return effect;
}

/** A booking was canceled or deleted: it no longer counts (Field Service ignores canceled bookings). */
export function removeBooking(index: RollupIndex, bookingId: string): RollupEffect {
  const booking = need(index.bookings, bookingId, 'booking');
  const wo = booking.workOrder;
  wo.bookings.splice(wo.bookings.indexOf(booking), 1);
  index.bookings.delete(bookingId);
  const effect: RollupEffect = {};
  cascadeBooking(booking, null, effect);
  return effect;
}

/** The task was re-estimated (pfb_tasksync.pfb_plannedeffort changed). */
export function setTaskEstimate(index: RollupIndex, taskId: string, estimateHours: number): RollupEffect {
  const task = need(index.tasks, taskId, 'task');
  const effect: RollupEffect = {};
  cascadeTask(task, withTaskEstimate(task.agg, estimateHours), effect);
  return effect;
}

/** Every row's current columns (for checks and for a full rewrite after a restart). */
export interface IndexColumns {
  readonly bookings: Record<string, BookingColumns | null>;
  readonly workOrders: Record<string, WorkOrderColumns>;
  readonly tasks: Record<string, TaskSyncColumns>;
  readonly projects: Record<string, ProjectProgressColumns>;
}

export function indexColumns(index: RollupIndex): IndexColumns {
  const out: IndexColumns = { bookings: {}, workOrders: {}, tasks: {}, projects: {} };
  for (const [id, b] of index.bookings) out.bookings[id] = b.state ? bookingColumns(b.state) : null;
  for (const [id, w] of index.workOrders) out.workOrders[id] = workOrderColumns(w.agg, w.systemStatus);
  for (const [id, t] of index.tasks) out.tasks[id] = taskSyncColumns(t.agg);
  for (const [id, p] of index.projects) out.projects[id] = projectProgressColumns(p.agg);
  return out;
}

/** The booking's persisted state (for the bridge to store alongside the event). */
export function bookingStateOf(index: RollupIndex, bookingId: string): BookingState | undefined {
  return index.bookings.get(bookingId)?.state;
}
