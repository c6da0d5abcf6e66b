/**
 * Reads what the field side knows about the grid's tasks through `context.webAPI`, in few requests
 * (DESIGN §2: service protection limits count every request): their `pfb_tasksync` rows, their work orders, the
 * bookings of those work orders (for the booked resources) and the roles of their generic resource assignments.
 *
 * - Up to 600 leaf tasks: task ids in `Microsoft.Dynamics.CRM.In(...)` filters, 150 ids per request — 4 requests for a
 *   typical project (task syncs, work orders and roles in parallel, then bookings).
 * - More (a program, or a 25,000-task plan): the same reads filtered by project instead, each one request per 5,000
 *   rows; the tasks of those projects on later pages are then already covered.
 * Only the columns shown are selected. Labels of choices and lookups are the platform's formatted values.
 */
import { BookingSystemStatus, bookableresourcebooking, bookingstatus, msdyn_projectteam, msdyn_resourceassignment, msdyn_workorder, pfb_tasksync } from '../../shared/schemaNames';
import { chunk, formattedOf, idOf, IDS_PER_REQUEST, inFilter, numberOf, queryOptions, retrieveAll, stringOf, type Row, type WebApiReader } from '../../shared/odata';
import { toDate, type Formatter } from '../../shared/format';
import type { RelatedData, RoleNeed, TaskSyncInfo, WorkOrderInfo } from '../model/types';

export interface RelatedScope {
  /** Leaf task ids to read for. */
  readonly taskIds: readonly string[];
  /** Their projects (used when there are many tasks). */
  readonly projectIds: readonly string[];
}

export interface RelatedResult {
  readonly data: RelatedData;
  /** Every task of these projects is covered by this read (project-wide mode), not only `scope.taskIds`. */
  readonly coveredProjects: readonly string[];
  /** Web API requests made. */
  readonly requests: number;
}

export type RelatedLoader = (scope: RelatedScope) => Promise<RelatedResult>;

/** Above this many tasks the reads go by project. */
export const TASK_ID_MODE_LIMIT = 4 * IDS_PER_REQUEST;

const S = pfb_tasksync;
const W = msdyn_workorder;
const B = bookableresourcebooking;
const A = msdyn_resourceassignment;

export type ReadMode = { kind: 'tasks'; chunks: string[][] } | { kind: 'projects'; chunks: string[][] };

export function readModeFor(scope: RelatedScope): ReadMode {
  if (scope.taskIds.length > TASK_ID_MODE_LIMIT && scope.projectIds.length > 0) return { kind: 'projects', chunks: chunk([...scope.projectIds], IDS_PER_REQUEST) };
  return { kind: 'tasks', chunks: chunk([...scope.taskIds], IDS_PER_REQUEST) };
}

export function createRelatedDataLoader(webApi: WebApiReader, fmt: Formatter): RelatedLoader {
  return async (scope) => {
    let requests = 0;
    const read = async (entity: string, options: string): Promise<Row[]> => {
      const counting: WebApiReader = {
        retrieveRecord: webApi.retrieveRecord.bind(webApi),
        retrieveMultipleRecords: (e, o, p) => {
          requests += 1;
          return webApi.retrieveMultipleRecords(e, o, p);
        },
      };
      return retrieveAll(counting, entity, options);
    };
    const mode = readModeFor(scope);
    if (mode.chunks.length === 0) return { data: { syncs: new Map(), workOrders: new Map(), roles: new Map() }, coveredProjects: [], requests };

    const byTask = mode.kind === 'tasks';
    const syncFilter = (ids: string[]): string => inFilter(byTask ? S.columns.pfb_projecttask : S.columns.pfb_project, ids);
    const woFilter = (ids: string[]): string => inFilter(byTask ? W.columns.pfb_projecttask : W.columns.pfb_project, ids);
    const roleFilter = (ids: string[]): string => inFilter(byTask ? A.columns.msdyn_taskid : A.columns.msdyn_projectid, ids);

    const syncSelect = [
      S.primaryIdAttribute,
      S.lookups.pfb_projecttask.valueProperty,
      S.columns.pfb_syncstatus,
      S.columns.pfb_scenario,
      S.columns.pfb_fieldstatus,
      S.columns.pfb_lasterror,
      S.columns.pfb_plannedeffort,
      S.columns.pfb_actualeffort,
      S.columns.pfb_effortvariance,
      S.columns.pfb_effortvariancepct,
      S.columns.pfb_percentcomplete,
      S.columns.pfb_plannedworkorders,
      S.columns.pfb_workorderscompleted,
      S.columns.pfb_workordersincomplete,
    ];
    const woSelect = [
      W.primaryIdAttribute,
      W.columns.msdyn_name,
      W.columns.msdyn_systemstatus,
      W.columns.msdyn_timefrompromised,
      W.columns.msdyn_timetopromised,
      W.lookups.pfb_projecttask.valueProperty,
      W.columns.pfb_slotindex,
      W.columns.pfb_plannedeffort,
    ];
    const roleExpand = `${A.lookups.msdyn_projectteamid.navigationProperty}($select=${msdyn_projectteam.lookups.msdyn_resourcecategory.valueProperty})`;

    const [syncRows, woRows, roleRows] = await Promise.all([
      Promise.all(mode.chunks.map((ids) => read(S.logicalName, queryOptions({ select: syncSelect, filter: syncFilter(ids) })))).then((r) => r.flat()),
      Promise.all(
        mode.chunks.map((ids) =>
          read(W.logicalName, queryOptions({ select: woSelect, filter: woFilter(ids), orderBy: `${W.columns.pfb_slotindex} asc,${W.columns.msdyn_name} asc` })),
        ),
      ).then((r) => r.flat()),
      Promise.all(mode.chunks.map((ids) => read(A.logicalName, queryOptions({ select: [A.primaryIdAttribute, A.lookups.msdyn_taskid.valueProperty], expand: roleExpand, filter: roleFilter(ids) })))).then((r) =>
        r.flat(),
      ),
    ]);

    const wanted = byTask ? new Set(scope.taskIds) : null;
    const syncs = new Map<string, TaskSyncInfo>();
    for (const row of syncRows) {
      const info = taskSyncFromRow(row);
      if (info && (!wanted || wanted.has(info.taskId))) syncs.set(info.taskId, info);
    }

    // Bookings of those work orders: the named resources booked on each (cancelled bookings do not count).
    const woIds = woRows.map((r) => idOf(r, W.primaryIdAttribute)).filter((id): id is string => id !== null);
    const bookingSelect = [B.primaryIdAttribute, B.lookups.msdyn_workorder.valueProperty, B.lookups.resource.valueProperty, B.columns.starttime];
    const bookingExpand = `${B.lookups.bookingstatus.navigationProperty}($select=${bookingstatus.columns.msdyn_fieldservicestatus})`;
    const bookingRows =
      woIds.length === 0
        ? []
        : (
            await Promise.all(
              chunk(woIds, IDS_PER_REQUEST).map((ids) =>
                read(B.logicalName, queryOptions({ select: bookingSelect, expand: bookingExpand, filter: inFilter(B.columns.msdyn_workorder, ids), orderBy: `${B.columns.starttime} asc` })),
              ),
            )
          ).flat();
    const resourcesByWo = new Map<string, string[]>();
    for (const row of bookingRows) {
      const status = row[B.lookups.bookingstatus.navigationProperty] as Row | null | undefined;
      if (status && numberOf(status, bookingstatus.columns.msdyn_fieldservicestatus) === BookingSystemStatus.Canceled) continue;
      const wo = idOf(row, B.lookups.msdyn_workorder.valueProperty);
      const name = formattedOf(row, B.lookups.resource.valueProperty);
      if (!wo || !name) continue;
      const list = resourcesByWo.get(wo) ?? [];
      if (!list.includes(name)) list.push(name);
      resourcesByWo.set(wo, list);
    }

    const workOrders = new Map<string, WorkOrderInfo[]>();
    for (const row of woRows) {
      const info = workOrderFromRow(row, resourcesByWo, fmt);
      if (!info || (wanted && !wanted.has(info.taskId))) continue;
      const list = workOrders.get(info.taskId) ?? [];
      list.push(info);
      workOrders.set(info.taskId, list);
    }

    const roles = new Map<string, RoleNeed[]>();
    for (const row of roleRows) {
      const taskId = idOf(row, A.lookups.msdyn_taskid.valueProperty);
      const member = row[A.lookups.msdyn_projectteamid.navigationProperty] as Row | null | undefined;
      const role = member ? formattedOf(member, msdyn_projectteam.lookups.msdyn_resourcecategory.valueProperty) : undefined;
      if (!taskId || !role || (wanted && !wanted.has(taskId))) continue;
      const list = roles.get(taskId) ?? [];
      const existing = list.find((r) => r.role === role);
      if (existing) list[list.indexOf(existing)] = { role, count: existing.count + 1 };
      else list.push({ role, count: 1 });
      roles.set(taskId, list);
    }

    return { data: { syncs, workOrders, roles }, coveredProjects: byTask ? [] : [...scope.projectIds], requests };
  };
}

export function taskSyncFromRow(row: Row): TaskSyncInfo | null {
  const id = idOf(row, S.primaryIdAttribute);
  const taskId = idOf(row, S.lookups.pfb_projecttask.valueProperty);
  if (!id || !taskId) return null;
  return {
    id,
    taskId,
    syncStatus: numberOf(row, S.columns.pfb_syncstatus),
    syncStatusLabel: formattedOf(row, S.columns.pfb_syncstatus) ?? null,
    scenario: numberOf(row, S.columns.pfb_scenario),
    scenarioLabel: formattedOf(row, S.columns.pfb_scenario) ?? null,
    fieldStatus: numberOf(row, S.columns.pfb_fieldstatus),
    fieldStatusLabel: formattedOf(row, S.columns.pfb_fieldstatus) ?? null,
    lastError: stringOf(row, S.columns.pfb_lasterror),
    plannedEffort: numberOf(row, S.columns.pfb_plannedeffort),
    actualEffort: numberOf(row, S.columns.pfb_actualeffort),
    effortVariance: numberOf(row, S.columns.pfb_effortvariance),
    effortVariancePct: numberOf(row, S.columns.pfb_effortvariancepct),
    percentComplete: numberOf(row, S.columns.pfb_percentcomplete),
    plannedWorkOrders: numberOf(row, S.columns.pfb_plannedworkorders),
    workOrdersCompleted: numberOf(row, S.columns.pfb_workorderscompleted),
    workOrdersIncomplete: numberOf(row, S.columns.pfb_workordersincomplete),
  };
}

function workOrderFromRow(row: Row, resourcesByWo: ReadonlyMap<string, readonly string[]>, fmt: Formatter): WorkOrderInfo | null {
  const id = idOf(row, W.primaryIdAttribute);
  const taskId = idOf(row, W.lookups.pfb_projecttask.valueProperty);
  if (!id || !taskId) return null;
  const when = (col: string): string | null => {
    const f = formattedOf(row, col);
    if (f) return f;
    const d = toDate(row[col]);
    return d ? fmt.dateTime(d) : null;
  };
  return {
    id,
    taskId,
    name: stringOf(row, W.columns.msdyn_name) ?? id,
    systemStatus: numberOf(row, W.columns.msdyn_systemstatus),
    systemStatusLabel: formattedOf(row, W.columns.msdyn_systemstatus) ?? null,
    windowStart: when(W.columns.msdyn_timefrompromised),
    windowEnd: when(W.columns.msdyn_timetopromised),
    plannedEffort: numberOf(row, W.columns.pfb_plannedeffort),
    slotIndex: numberOf(row, W.columns.pfb_slotindex),
    resources: resourcesByWo.get(id) ?? [],
  };
}
