/**
 * The bodies of the bulk writes, as pure functions of the plan: work orders upserted by their source key, cancels,
 * and resource requirements. Whether a row needs writing at all is decided here too, by comparing what Dataverse
 * holds with what the plan wants, so an unchanged task writes nothing and a half-finished earlier run is completed.
 */
import { WorkOrderSystemStatus, msdyn_resourcerequirement, msdyn_workorder, type Plan, type PlannedSlot } from '@pfb/domain';
import type { Row } from './batchRead';
import { REQUIREMENT, WORK_ORDER, bind, primaryKey, workOrderByKey } from './names';
import type { ProjectRow, RequirementRow, RoleRow, TaskRow, WorkOrderRow } from './readSyncState';

/** What every work order of one task shares. */
export interface TaskContext {
  readonly taskSyncId: string;
  readonly task: TaskRow;
  /** Validated: service account and price list are set. */
  readonly project: ProjectRow & { serviceAccountId: string; priceListId: string };
  readonly plan: Plan;
  /** The task's roles by id; validation guarantees each has a work order type. */
  readonly roles: ReadonlyMap<string, RoleRow>;
  /** Units per role, and each working day's position (1-based), for the summaries. */
  readonly unitsOfRole: ReadonlyMap<string, number>;
  readonly dayNumber: ReadonlyMap<string, number>;
}

export function taskContext(base: Omit<TaskContext, 'unitsOfRole' | 'dayNumber'>): TaskContext {
  const unitsOfRole = new Map<string, number>();
  for (const s of base.plan.slots) unitsOfRole.set(s.roleId, Math.max(unitsOfRole.get(s.roleId) ?? 0, s.resourceNumber));
  return { ...base, unitsOfRole, dayNumber: new Map(base.plan.workingDays.map((d, i) => [d, i + 1])) };
}

const sameInstant = (a: string | null, b: string): boolean => a !== null && Date.parse(a) === Date.parse(b);

function workOrderTypeOf(ctx: TaskContext, slot: PlannedSlot): string {
  const type = ctx.roles.get(slot.roleId)?.workOrderTypeId;
  if (!type) throw new Error(`role ${slot.roleName} has no work order type although validation passed`);
  return type;
}

/** `Install 5G AAU & RRU — day 2 of 3 (2027-03-31) — Tower Rigger 1 of 2`: what the dispatcher reads on the board. */
export function workOrderSummary(ctx: TaskContext, slot: PlannedSlot): string {
  const days = ctx.plan.workingDays;
  const when = slot.localDate
    ? `day ${ctx.dayNumber.get(slot.localDate) ?? '?'} of ${days.length} (${slot.localDate})`
    : `${days[0] ?? ''} to ${days[days.length - 1] ?? ''}`;
  return `${ctx.task.name} — ${when} — ${slot.roleName} ${slot.resourceNumber} of ${ctx.unitsOfRole.get(slot.roleId) ?? slot.resourceNumber}`;
}

/**
 * An UpsertMultiple target addressed by `pfb_sourcekey`. The key is not repeated in the body: Dataverse takes it from
 * the address on create and ignores body keys on update (update-delete-entities-using-web-api, Upsert). No
 * msdyn_name: Field Service numbers work orders. `msdyn_systemstatus` only for a new work order (Unscheduled) or one
 * that was cancelled and is planned again (reactivated as Unscheduled); otherwise Field Service owns it.
 */
export function upsertTarget(ctx: TaskContext, slot: PlannedSlot, status: 'new' | 'reactivate' | 'keep'): Row {
  const target: Row = {
    '@odata.id': workOrderByKey(slot.key),
    ...bind(WORK_ORDER.msdyn_serviceaccount, ctx.project.serviceAccountId),
    ...bind(WORK_ORDER.msdyn_pricelist, ctx.project.priceListId),
    ...bind(WORK_ORDER.msdyn_workordertype, workOrderTypeOf(ctx, slot)),
    ...bind(WORK_ORDER.pfb_project, ctx.project.id),
    ...bind(WORK_ORDER.pfb_projecttask, ctx.task.id),
    ...bind(WORK_ORDER.pfb_tasksync, ctx.taskSyncId),
    [WORK_ORDER.pfb_slotindex.logicalName]: slot.slotIndex,
    [WORK_ORDER.pfb_plannedeffort.logicalName]: slot.effortHours,
    [WORK_ORDER.msdyn_timefrompromised.logicalName]: slot.windowStart,
    [WORK_ORDER.msdyn_timetopromised.logicalName]: slot.windowEnd,
    [WORK_ORDER.msdyn_workordersummary.logicalName]: workOrderSummary(ctx, slot),
  };
  if (status !== 'keep') target[WORK_ORDER.msdyn_systemstatus.logicalName] = WorkOrderSystemStatus.Unscheduled;
  return target;
}

/**
 * A work order the diff finds unchanged (same window and effort) whose other columns the bridge owns differ: the
 * project's service account or price list changed, the role's work order type was remapped, the task was renamed, or
 * the work order was linked to an older sync row. Rewriting it keeps Field Service in step with the plan.
 */
export function needsRefresh(ctx: TaskContext, slot: PlannedSlot, wo: WorkOrderRow): boolean {
  return (
    wo.serviceAccountId !== ctx.project.serviceAccountId ||
    wo.priceListId !== ctx.project.priceListId ||
    wo.workOrderTypeId !== workOrderTypeOf(ctx, slot) ||
    wo.projectId !== ctx.project.id ||
    wo.taskSyncId !== ctx.taskSyncId ||
    wo.slotIndex !== slot.slotIndex ||
    wo.summary !== workOrderSummary(ctx, slot)
  );
}

export function cancelTarget(wo: WorkOrderRow): Row {
  return { [primaryKey(msdyn_workorder).logicalName]: wo.id, [WORK_ORDER.msdyn_systemstatus.logicalName]: WorkOrderSystemStatus.Canceled };
}

/** Field Service creates one requirement per work order; later ones are someone's manual additions. */
export function primaryRequirement(wo: WorkOrderRow): RequirementRow | undefined {
  return [...wo.requirements].sort((a, b) => (a.createdOn ?? '').localeCompare(b.createdOn ?? '') || a.id.localeCompare(b.id))[0];
}

/** Planned effort in whole minutes: msdyn_duration is an integer number of minutes. */
export const durationMinutes = (slot: PlannedSlot): number => Math.round(slot.effortHours * 60);

/**
 * The requirement update for a slot (role, duration, window), or undefined when it already matches. The promised
 * window also reaches the requirement through Field Service's own sync; writing it here makes the result independent
 * of that sync's timing.
 */
export function requirementTarget(req: RequirementRow, slot: PlannedSlot): Row | undefined {
  const matches =
    req.roleId === slot.roleId.toLowerCase() &&
    req.durationMinutes === durationMinutes(slot) &&
    sameInstant(req.fromDate, slot.windowStart) &&
    sameInstant(req.toDate, slot.windowEnd) &&
    sameInstant(req.windowStart, slot.windowStart) &&
    sameInstant(req.windowEnd, slot.windowEnd);
  if (matches) return undefined;
  return {
    [primaryKey(msdyn_resourcerequirement).logicalName]: req.id,
    ...bind(REQUIREMENT.msdyn_resourcecategory, slot.roleId),
    [REQUIREMENT.msdyn_duration.logicalName]: durationMinutes(slot),
    [REQUIREMENT.msdyn_fromdate.logicalName]: slot.windowStart,
    [REQUIREMENT.msdyn_todate.logicalName]: slot.windowEnd,
    [REQUIREMENT.msdyn_timewindowstart.logicalName]: slot.windowStart,
    [REQUIREMENT.msdyn_timewindowend.logicalName]: slot.windowEnd,
  };
}
