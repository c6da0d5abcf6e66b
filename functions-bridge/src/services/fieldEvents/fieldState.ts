/**
 * What the field-event worker knows about the bookings it updates, loaded from Dataverse and kept per process:
 * per project, the roll-up index (domain/src/rollup) built from the project's task sync rows, work orders, bookings
 * and — the source of truth — the persisted `pfb_fieldevent` rows, folded with the domain lifecycle; per booking its
 * row version (ETag) for optimistic concurrency.
 *
 * Nothing here is authoritative: any conflict (412) or failed write drops the project, and the next event reloads it
 * from Dataverse. Loading also compares the roll-up figures the events give with the persisted ones and reports the
 * differences, so a process that died between an event and its roll-up flush is repaired on the next load
 * (DESIGN §8: "recompute from persisted state on conflict").
 *
 * Cost: a load is three `$batch` requests of GETs for any number of projects (rows, then bookings, then events),
 * plus one per 5,000-row page beyond the first.
 */
import {
  applyEvent,
  bookableresourcebooking,
  bookingColumns,
  BookingSystemStatus,
  buildRollupIndex,
  EMPTY_PROJECT,
  emptyTask,
  EventOutcome,
  msdyn_project,
  msdyn_workorder,
  parseFieldEvent,
  pfb_fieldevent,
  pfb_projectprogress,
  pfb_tasksync,
  projectProgressColumns,
  SyncStatus,
  taskSyncColumns,
  WorkOrderSystemStatus,
  type BookingColumns,
  type BookingState,
  type FieldEvent,
  type ProjectProgressColumns,
  type RollupIndex,
  type TaskSyncColumns,
} from '@pfb/domain';
import type { DataverseClient } from '../dataverse/dataverseClient';
import { BOOKING, chunk, ID_CHUNK, inFilter, lookupProperty, navigationOf, primaryKey, selectOf, TASK_SYNC, WORK_ORDER } from '../taskSync/names';
import { queryUrl, readInBatches, type Row } from './readInBatches';
import type { FieldStageStatuses } from './bookingStatuses';

const EVENT = pfb_fieldevent.columns;
const PROGRESS = pfb_projectprogress.columns;
const BOOKING_ID = primaryKey(bookableresourcebooking).logicalName;
const TASK_SYNC_ID = primaryKey(pfb_tasksync).logicalName;
const PROGRESS_ID = primaryKey(pfb_projectprogress).logicalName;
const PROJECT_ID = primaryKey(msdyn_project).logicalName;
const WORK_ORDER_ID = primaryKey(msdyn_workorder).logicalName;

/** The roll-up columns the worker owns on pfb_tasksync and pfb_projectprogress (the domain's output columns). */
export const TASK_ROLLUP_COLUMNS: readonly string[] = Object.keys(taskSyncColumns(emptyTask(0)));
export const PROJECT_ROLLUP_COLUMNS: readonly string[] = Object.keys(projectProgressColumns(EMPTY_PROJECT));

export interface PersistedRow {
  readonly id: string;
  etag: string | null;
  /** The roll-up columns as last read or written. */
  persisted: Readonly<Record<string, unknown>>;
  /** pfb_tasksync rows: the project task they stand for (for the schedule write-back). */
  readonly projectTaskId?: string;
}

export interface ProjectState {
  readonly projectId: string;
  readonly name: string;
  readonly index: RollupIndex;
  readonly tasks: Map<string, PersistedRow>;
  /** null until the project's pfb_projectprogress row exists. */
  progress: PersistedRow | null;
}

/** A booking the worker has located. */
export interface BookingEntry {
  readonly bookingId: string;
  readonly projectId: string | null;
  etag: string | null;
  /** Canceled bookings take no events. */
  readonly canceled: boolean;
  /** Bookings outside any synced task (no roll-ups): their lifecycle state, folded from their events. */
  state?: BookingState;
}

/** Roll-up rows whose figures differ from what the events give (written by the next flush). */
export interface Drift {
  readonly tasks: Array<{ readonly projectId: string; readonly taskSyncId: string; readonly columns: TaskSyncColumns }>;
  readonly projects: Array<{ readonly projectId: string; readonly columns: ProjectProgressColumns }>;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The same figure: numbers to the columns' 2 decimals, times to the second, null and absent alike. */
export function sameValue(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 0.005;
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return true;
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    return Number.isFinite(ta) && Number.isFinite(tb) && Math.floor(ta / 1000) === Math.floor(tb / 1000);
  }
  return a === b;
}

export function sameColumns(columns: object, persisted: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(columns as Record<string, unknown>).every(([k, v]) => sameValue(v, persisted[k]));
}

function pick(row: Row, columns: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
}

/** Folds a booking's persisted events (their payloads) into its lifecycle state. */
export function foldEvents(events: readonly FieldEvent[]): BookingState | undefined {
  let state: BookingState | undefined;
  for (const e of events) state = applyEvent(state, e).state;
  return state;
}

/** A persisted pfb_fieldevent row back to the event it recorded (its payload is the event as received). */
export function eventOfRow(row: Row): FieldEvent | undefined {
  const outcome = num(row[EVENT.pfb_outcome.logicalName]);
  if (outcome === EventOutcome.Rejected) return undefined;
  const payload = str(row[EVENT.pfb_payload.logicalName]);
  if (!payload) return undefined;
  try {
    const parsed = parseFieldEvent(JSON.parse(payload) as unknown);
    return parsed.ok ? parsed.value : undefined;
  } catch {
    return undefined;
  }
}

export class FieldState {
  readonly projects = new Map<string, ProjectState>();
  readonly bookings = new Map<string, BookingEntry>();
  /** Dataverse requests spent loading (for the figures). */
  loads = 0;

  constructor(
    private readonly client: DataverseClient,
    private readonly statuses: () => FieldStageStatuses,
  ) {}

  /** Forgets a project (after a conflict or failed write); its next event reloads it. */
  dropProject(projectId: string): void {
    const project = this.projects.get(projectId);
    if (!project) return;
    this.projects.delete(projectId);
    for (const id of project.index.bookings.keys()) this.bookings.delete(id);
    for (const [id, entry] of this.bookings) if (entry.projectId === projectId) this.bookings.delete(id);
  }

  dropBooking(bookingId: string): void {
    const entry = this.bookings.get(bookingId);
    if (entry?.projectId) this.dropProject(entry.projectId);
    this.bookings.delete(bookingId);
  }

  /**
   * Makes sure every booking named is located and its project loaded; returns the bookings that do not exist and the
   * roll-up rows that drifted from the events (to be written).
   */
  async prepare(bookingIds: readonly string[]): Promise<{ missing: Set<string>; drift: Drift }> {
    const drift: Drift = { tasks: [], projects: [] };
    const unknown = [...new Set(bookingIds)].filter((id) => !this.bookings.has(id));
    if (unknown.length === 0) return { missing: new Set(), drift };

    // 1. Where the bookings belong: booking → work order → project (one request).
    const located = await this.read(
      'locate bookings',
      chunk(unknown, ID_CHUNK).map((ids) =>
        `${queryUrl(bookableresourcebooking.entitySetName, [BOOKING_ID, lookupProperty(BOOKING.msdyn_workorder)], inFilter(BOOKING_ID, ids))}&$expand=${navigationOf(BOOKING.msdyn_workorder)}($select=${lookupProperty(WORK_ORDER.pfb_project)},${lookupProperty(WORK_ORDER.pfb_tasksync)})`,
      ),
    );
    const found = new Map<string, { projectId: string | null }>();
    for (const row of located.flat()) {
      const wo = row[navigationOf(BOOKING.msdyn_workorder)] as Row | null | undefined;
      const synced = wo && str(wo[lookupProperty(WORK_ORDER.pfb_tasksync)]);
      found.set(String(row[BOOKING_ID]).toLowerCase(), { projectId: synced ? (str(wo[lookupProperty(WORK_ORDER.pfb_project)])?.toLowerCase() ?? null) : null });
    }
    const missing = new Set(unknown.filter((id) => !found.has(id)));
    // A new booking on a loaded project (rebooked visit, second technician): reload the project with it.
    const projectIds = [...new Set([...found.values()].map((f) => f.projectId).filter((p): p is string => !!p))];
    for (const p of projectIds) this.dropProject(p);
    const standalone = [...found.entries()].filter(([, f]) => f.projectId === null).map(([id]) => id);
    await this.load(projectIds, standalone, drift);
    return { missing, drift };
  }

  private async read(operation: string, urls: readonly string[]): Promise<Row[][]> {
    if (urls.length === 0) return [];
    const before = this.client.stats.requests;
    try {
      return await readInBatches(this.client, operation, urls);
    } finally {
      this.loads += this.client.stats.requests - before;
    }
  }

  private async load(projectIds: readonly string[], standalone: readonly string[], drift: Drift): Promise<void> {
    const P = projectIds;
    const taskColumns = [TASK_SYNC_ID, lookupProperty(TASK_SYNC.pfb_project), lookupProperty(TASK_SYNC.pfb_projecttask), TASK_SYNC.pfb_plannedeffort.logicalName, TASK_SYNC.pfb_syncstatus.logicalName, ...TASK_ROLLUP_COLUMNS];
    const progressColumns = [PROGRESS_ID, lookupProperty(PROGRESS.pfb_project), ...PROJECT_ROLLUP_COLUMNS];
    const woColumns = [WORK_ORDER_ID, ...selectOf(WORK_ORDER.pfb_tasksync, WORK_ORDER.pfb_project), WORK_ORDER.pfb_plannedeffort.logicalName, WORK_ORDER.msdyn_systemstatus.logicalName];
    const chunks = chunk(P, ID_CHUNK);
    const [projects = [], tasks = [], workOrders = [], progress = []] =
      P.length === 0
        ? []
        : await this.read('load projects', [
            ...chunks.map((ids) => queryUrl(msdyn_project.entitySetName, [PROJECT_ID, msdyn_project.primaryNameAttribute], inFilter(PROJECT_ID, ids))),
            ...chunks.map((ids) => queryUrl(pfb_tasksync.entitySetName, taskColumns, inFilter(TASK_SYNC.pfb_project, ids))),
            ...chunks.map((ids) => queryUrl(msdyn_workorder.entitySetName, woColumns, inFilter(WORK_ORDER.pfb_project, ids))),
            ...chunks.map((ids) => queryUrl(pfb_projectprogress.entitySetName, progressColumns, inFilter(PROGRESS.pfb_project, ids))),
          ]).then((r) => [0, 1, 2, 3].map((k) => r.slice(k * chunks.length, (k + 1) * chunks.length).flat()));

    const liveTasks = tasks.filter((t) => num(t[TASK_SYNC.pfb_syncstatus.logicalName]) !== SyncStatus.Cancelled);
    const taskIds = new Set(liveTasks.map((t) => String(t[TASK_SYNC_ID]).toLowerCase()));
    const liveWorkOrders = workOrders.filter(
      (w) => num(w[WORK_ORDER.msdyn_systemstatus.logicalName]) !== WorkOrderSystemStatus.Canceled && taskIds.has(String(w[lookupProperty(WORK_ORDER.pfb_tasksync)] ?? '').toLowerCase()),
    );
    const woIds = liveWorkOrders.map((w) => String(w[WORK_ORDER_ID]).toLowerCase());

    // 2. The bookings of those work orders, and the standalone ones (their row versions and statuses).
    const bookingColumnsSelected = [BOOKING_ID, lookupProperty(BOOKING.msdyn_workorder), lookupProperty(BOOKING.bookingstatus)];
    const bookings = (
      await this.read('load bookings', [
        ...chunk(woIds, ID_CHUNK).map((ids) => queryUrl(bookableresourcebooking.entitySetName, bookingColumnsSelected, inFilter(BOOKING.msdyn_workorder, ids))),
        ...chunk(standalone, ID_CHUNK).map((ids) => queryUrl(bookableresourcebooking.entitySetName, bookingColumnsSelected, inFilter(BOOKING_ID, ids))),
      ])
    ).flat();
    const statuses = this.statuses();
    const isCanceled = (row: Row): boolean => statuses.fieldServiceStatusOf(str(row[lookupProperty(BOOKING.bookingstatus)])) === BookingSystemStatus.Canceled;
    const bookingIds = bookings.map((b) => String(b[BOOKING_ID]).toLowerCase());

    // 3. Every event recorded for those bookings: the state is their fold (order does not matter).
    const eventRows = (
      await this.read(
        'load field events',
        chunk(bookingIds, ID_CHUNK).map((ids) => queryUrl(pfb_fieldevent.entitySetName, [lookupProperty(EVENT.pfb_booking), EVENT.pfb_outcome.logicalName, EVENT.pfb_payload.logicalName], inFilter(EVENT.pfb_booking, ids))),
      )
    ).flat();
    const eventsByBooking = new Map<string, FieldEvent[]>();
    for (const row of eventRows) {
      const event = eventOfRow(row);
      if (!event) continue;
      const list = eventsByBooking.get(event.bookingId) ?? [];
      list.push(event);
      eventsByBooking.set(event.bookingId, list);
    }

    const standaloneSet = new Set(standalone);
    const woProject = new Map(liveWorkOrders.map((w) => [String(w[WORK_ORDER_ID]).toLowerCase(), String(w[lookupProperty(WORK_ORDER.pfb_project)]).toLowerCase()]));
    for (const b of bookings) {
      const id = String(b[BOOKING_ID]).toLowerCase();
      const etag = str(b['@odata.etag']);
      if (standaloneSet.has(id)) {
        this.bookings.set(id, { bookingId: id, projectId: null, etag, canceled: isCanceled(b), state: foldEvents(eventsByBooking.get(id) ?? []) });
      } else {
        const projectId = woProject.get(String(b[lookupProperty(BOOKING.msdyn_workorder)] ?? '').toLowerCase()) ?? null;
        this.bookings.set(id, { bookingId: id, projectId, etag, canceled: isCanceled(b) });
      }
    }

    for (const projectId of P) {
      const projectRow = projects.find((p) => String(p[PROJECT_ID]).toLowerCase() === projectId);
      const ofProject = (row: Row, column: string): boolean => String(row[column] ?? '').toLowerCase() === projectId;
      const projectTasks = liveTasks.filter((t) => ofProject(t, lookupProperty(TASK_SYNC.pfb_project)));
      const projectWorkOrders = liveWorkOrders.filter((w) => ofProject(w, lookupProperty(WORK_ORDER.pfb_project)));
      const projectBookings = bookings.filter((b) => {
        const id = String(b[BOOKING_ID]).toLowerCase();
        return !standaloneSet.has(id) && this.bookings.get(id)?.projectId === projectId && !isCanceled(b);
      });
      const shape = {
        tasks: projectTasks.map((t) => ({ taskId: String(t[TASK_SYNC_ID]).toLowerCase(), projectId, estimateHours: num(t[TASK_SYNC.pfb_plannedeffort.logicalName]) ?? 0 })),
        workOrders: projectWorkOrders.map((w) => ({
          workOrderId: String(w[WORK_ORDER_ID]).toLowerCase(),
          taskId: String(w[lookupProperty(WORK_ORDER.pfb_tasksync)]).toLowerCase(),
          plannedEffortHours: num(w[WORK_ORDER.pfb_plannedeffort.logicalName]) ?? 0,
          systemStatus: num(w[WORK_ORDER.msdyn_systemstatus.logicalName]) ?? undefined,
        })),
        bookings: projectBookings.map((b) => ({ bookingId: String(b[BOOKING_ID]).toLowerCase(), workOrderId: String(b[lookupProperty(BOOKING.msdyn_workorder)]).toLowerCase() })),
      };
      const states = shape.bookings.map((b) => foldEvents(eventsByBooking.get(b.bookingId) ?? [])).filter((s): s is BookingState => s !== undefined);
      const index = buildRollupIndex(shape, states);
      const progressRow = progress.find((p) => ofProject(p, lookupProperty(PROGRESS.pfb_project)));
      const state: ProjectState = {
        projectId,
        name: str(projectRow?.[msdyn_project.primaryNameAttribute]) ?? projectId,
        index,
        tasks: new Map(
          projectTasks.map((t) => {
            const id = String(t[TASK_SYNC_ID]).toLowerCase();
            const projectTaskId = str(t[lookupProperty(TASK_SYNC.pfb_projecttask)])?.toLowerCase();
            return [id, { id, etag: str(t['@odata.etag']), persisted: pick(t, TASK_ROLLUP_COLUMNS), ...(projectTaskId ? { projectTaskId } : {}) }];
          }),
        ),
        progress: progressRow ? { id: String(progressRow[PROGRESS_ID]).toLowerCase(), etag: str(progressRow['@odata.etag']), persisted: pick(progressRow, PROJECT_ROLLUP_COLUMNS) } : null,
      };
      this.projects.set(projectId, state);

      // Repair: figures that differ from what the persisted events give.
      for (const task of index.tasks.values()) {
        const columns = taskSyncColumns(task.agg);
        const row = state.tasks.get(task.id);
        if (row && !sameColumns(columns, row.persisted)) drift.tasks.push({ projectId, taskSyncId: task.id, columns });
      }
      const project = index.projects.get(projectId);
      if (project) {
        const columns = projectProgressColumns(project.agg);
        if (!state.progress || !sameColumns(columns, state.progress.persisted)) drift.projects.push({ projectId, columns });
      }
    }
  }
}

/** The booking columns of a state (re-exported for the worker). */
export const columnsOfBooking = (state: BookingState): BookingColumns => bookingColumns(state);
