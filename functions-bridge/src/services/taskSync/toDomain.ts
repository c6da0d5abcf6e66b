/**
 * Dataverse rows → the domain's plain inputs (validation, planner, diff). No rule lives here: only the reading of
 * rows, plus the one decision the domain leaves to the bridge — when a work order counts as started.
 */
import {
  BookingSystemStatus,
  WorkOrderSystemStatus,
  fieldStageFromChoice,
  parseWorkingHours,
  stageRank,
  type ExistingSlot,
  type PlanInput,
  type PlanningPolicy,
  type RoleDemand,
  type ValidationProject,
  type ValidationRole,
  type ValidationTask,
} from '@pfb/domain';
import type { AssignmentRow, ProjectRow, TaskRow, WorkOrderRow } from './readSyncState';

export function validationTask(task: TaskRow, assignments: readonly AssignmentRow[]): ValidationTask {
  return {
    id: task.id,
    name: task.name,
    projectId: task.projectId,
    isSummary: task.isSummary,
    effortHours: task.effortHours,
    start: task.start,
    end: task.end,
    assignments: assignments.map((a) => ({
      teamMemberId: a.teamMemberId,
      teamMemberName: a.teamMemberName,
      roleId: a.roleId,
      roleName: a.role?.name ?? null,
      bookableResourceId: a.bookableResourceId,
    })),
  };
}

export function validationProject(p: ProjectRow): ValidationProject {
  return {
    id: p.id,
    name: p.name,
    serviceAccountId: p.serviceAccountId,
    priceListId: p.priceListId,
    timeZone: p.timeZone,
    workingHours: p.workingHours,
    fieldEnabled: p.fieldEnabled,
  };
}

export function validationRoles(assignments: readonly AssignmentRow[]): ValidationRole[] {
  return assignments.flatMap((a) => (a.role ? [a.role] : []));
}

const isGeneric = (a: AssignmentRow): boolean => !a.bookableResourceId;

/**
 * The planner's input for a task validation let through: its generic assignments grouped by role, each unit sharing
 * the task effort evenly (the assignments' own planned work is Project's contour, not a field split). The project
 * has no holiday calendar yet, so no non-working dates beyond the working-hours template.
 */
export function planInput(task: TaskRow, project: ProjectRow, assignments: readonly AssignmentRow[], policy: PlanningPolicy): PlanInput {
  const roles = new Map<string, RoleDemand>();
  for (const a of assignments) {
    if (!isGeneric(a) || !a.roleId) continue;
    const current = roles.get(a.roleId);
    roles.set(a.roleId, { roleId: a.roleId, roleName: a.role?.name ?? a.roleId, count: (current?.count ?? 0) + 1 });
  }
  const hours = parseWorkingHours(project.workingHours ?? '');
  if (!hours.ok) throw new Error(`validation let through unusable working hours: ${hours.problem}`);
  return {
    taskId: task.id,
    taskName: task.name,
    start: task.start ?? '',
    end: task.end ?? '',
    effortHours: task.effortHours ?? 0,
    resources: [...roles.values()],
    timeZone: project.timeZone ?? '',
    workingHours: hours.value,
    policy,
  };
}

/** Work order statuses that mean work has begun or is final (Field Service sets them from the bookings). */
const STARTED_WORK_ORDER: ReadonlySet<number> = new Set([WorkOrderSystemStatus.InProgress, WorkOrderSystemStatus.Completed, WorkOrderSystemStatus.Posted]);
/** Booking Field Service statuses that mean a technician is on it or was: Field Service refuses to cancel those. */
const STARTED_BOOKING: ReadonlySet<number> = new Set([BookingSystemStatus.Traveling, BookingSystemStatus.InProgress, BookingSystemStatus.OnBreak, BookingSystemStatus.Completed]);

/**
 * Started = never cancel or re-plan it. A work order has started when Field Service says so (system status In Progress,
 * Completed or Posted), or when any of its live bookings has a Field Service status of Traveling, On Break, In
 * Progress or Completed, or a field stage beyond Acknowledged (Travel, Onsite, In Progress, Complete, Incomplete: the
 * mobility app may be ahead of the booking status). Acknowledged alone is not a start: the technician has only
 * accepted the job, and Field Service still lets the work order be cancelled. Canceled bookings do not count.
 */
export function isStarted(wo: WorkOrderRow, bookingStatuses: ReadonlyMap<string, number | null>): boolean {
  if (wo.systemStatus !== null && STARTED_WORK_ORDER.has(wo.systemStatus)) return true;
  return wo.bookings.some((b) => {
    const fs = b.bookingStatusId ? bookingStatuses.get(b.bookingStatusId) : undefined;
    if (fs === BookingSystemStatus.Canceled) return false;
    const stage = b.fieldStage === null ? undefined : fieldStageFromChoice(b.fieldStage);
    if (stage !== undefined && stageRank(stage) > stageRank('Acknowledged')) return true;
    return fs !== undefined && fs !== null && STARTED_BOOKING.has(fs);
  });
}

/** The task's work orders as the diff sees them; rows without a source key are not the bridge's and are ignored. */
export function existingSlots(workOrders: readonly WorkOrderRow[], bookingStatuses: ReadonlyMap<string, number | null>): ExistingSlot[] {
  return workOrders
    .filter((w) => w.sourceKey)
    .map((w) => ({
      key: w.sourceKey as string,
      effortHours: w.effortHours ?? 0,
      windowStart: w.windowStart ?? '',
      windowEnd: w.windowEnd ?? '',
      started: isStarted(w, bookingStatuses),
      cancelled: w.systemStatus === WorkOrderSystemStatus.Canceled,
    }));
}
