/**
 * The Field Service behaviour the product depends on, as Field Service's own plug-ins do it:
 * - a new work order gets defaults (number, Unscheduled, billing account and price list from the service account)
 *   and one resource requirement ("The system creates one requirement per work order by default", inheriting
 *   name, location, duration and the promised window; scheduling-requirement-types);
 * - the promised window on the work order flows to its requirement;
 * - the booking status (bookingstatus.msdyn_fieldservicestatus) drives the work order's system status:
 *   Scheduled → Scheduled; Traveling / In Progress / On Break → In Progress; Completed → Completed (when the
 *   status completes work orders); cancelling the only booking reverts to Unscheduled; Posted is never set by a
 *   booking (work-order-status-booking-status);
 * - a work order cannot be cancelled while bookings are in progress; cancelling it cancels its scheduled bookings;
 *   a Posted work order's status cannot change.
 */
import {
  BookingStatusStatus,
  BookingSystemStatus,
  BookingType,
  WorkOrderSystemStatus,
  type TableDef,
} from '@pfb/domain';
import { errors } from '../protocol/errors';
import type { OperationContext } from '../pipeline/context';
import type { OrganizationService, Plugin } from '../pipeline/organizationService';
import type { Attributes, EntityReference } from '../store/types';

const WORK_ORDER = 'msdyn_workorder';
const BOOKING = 'bookableresourcebooking';
const REQUIREMENT = 'msdyn_resourcerequirement';

const ACTIVE_FIELD_STATUSES: readonly number[] = [BookingSystemStatus.Traveling, BookingSystemStatus.InProgress, BookingSystemStatus.OnBreak];

function ref(v: unknown): EntityReference | undefined {
  return v && typeof v === 'object' ? (v as EntityReference) : undefined;
}

function minutesBetween(from: unknown, to: unknown): number | undefined {
  if (typeof from !== 'string' || typeof to !== 'string') return undefined;
  return Math.max(1, Math.round((Date.parse(to) - Date.parse(from)) / 60000));
}

/** The Field Service status of a booking, from its booking status row. */
function fieldServiceStatusOf(svc: OrganizationService, booking: Attributes): number {
  const statusRef = ref(booking['bookingstatus']);
  const status = statusRef ? svc.store.get('bookingstatus', statusRef.id) : undefined;
  if (!status) return BookingSystemStatus.Scheduled;
  const fs = status['msdyn_fieldservicestatus'];
  if (typeof fs === 'number') return fs;
  return status['status'] === BookingStatusStatus.Canceled ? BookingSystemStatus.Canceled : BookingSystemStatus.Scheduled;
}

function completesWorkOrder(svc: OrganizationService, booking: Attributes): boolean {
  const statusRef = ref(booking['bookingstatus']);
  const status = statusRef ? svc.store.get('bookingstatus', statusRef.id) : undefined;
  return status?.['msdyn_statuscompletesworkorder'] !== false;
}

/**
 * The work order system status implied by its bookings. This is the emulator's own reading of Field Service's rule,
 * kept apart from the product's (`workOrderStatusFromBookingStatuses` in @pfb/domain) on purpose: tests of the
 * bridge then check the product against an independent implementation, not against itself.
 */
export function workOrderStatusFromBookings(svc: OrganizationService, bookings: readonly Attributes[]): number {
  const live = bookings.filter((b) => fieldServiceStatusOf(svc, b) !== BookingSystemStatus.Canceled);
  if (live.length === 0) return WorkOrderSystemStatus.Unscheduled;
  const statuses = live.map((b) => fieldServiceStatusOf(svc, b));
  if (statuses.some((s) => ACTIVE_FIELD_STATUSES.includes(s))) return WorkOrderSystemStatus.InProgress;
  const completed = live.filter((b) => fieldServiceStatusOf(svc, b) === BookingSystemStatus.Completed && completesWorkOrder(svc, b));
  if (completed.length === live.length) return WorkOrderSystemStatus.Completed;
  // Some work is done (including bookings whose Completed status does not complete the work order).
  if (statuses.includes(BookingSystemStatus.Completed)) return WorkOrderSystemStatus.InProgress;
  return WorkOrderSystemStatus.Scheduled;
}

function recomputeWorkOrder(svc: OrganizationService, ctx: OperationContext, workOrderId: string): void {
  const wo = svc.store.get(WORK_ORDER, workOrderId);
  if (!wo) return;
  const current = wo['msdyn_systemstatus'];
  if (current === WorkOrderSystemStatus.Posted || current === WorkOrderSystemStatus.Canceled) return;
  const bookings = svc.store.select(BOOKING, 't0."msdyn_workorder" = ?', [workOrderId]);
  const next = workOrderStatusFromBookings(svc, bookings);
  if (next === current) return;
  const changes: Attributes = { msdyn_systemstatus: next };
  if (next === WorkOrderSystemStatus.Completed && !wo['msdyn_completedon']) changes['msdyn_completedon'] = svc.now().toISOString();
  svc.update(ctx, WORK_ORDER, workOrderId, changes);
}

function nextWorkOrderNumber(svc: OrganizationService): string {
  const row = svc.store.prepare("SELECT value FROM _meta WHERE key = 'msdyn_workorder_number'").get() as { value: string } | undefined;
  const n = (row ? Number(row.value) : 0) + 1;
  svc.store.prepare("INSERT OR REPLACE INTO _meta (key, value) VALUES ('msdyn_workorder_number', ?)").run(String(n));
  return String(n).padStart(5, '0');
}

function requirementFromWorkOrder(wo: Attributes): Attributes {
  const duration =
    typeof wo['pfb_plannedeffort'] === 'number' && wo['pfb_plannedeffort'] > 0
      ? Math.round((wo['pfb_plannedeffort'] as number) * 60)
      : ((wo['msdyn_totalestimatedduration'] as number | null) ?? minutesBetween(wo['msdyn_timefrompromised'], wo['msdyn_timetopromised']) ?? 60);
  return {
    msdyn_name: wo['msdyn_name'] as string,
    msdyn_fromdate: wo['msdyn_timefrompromised'] ?? null,
    msdyn_todate: wo['msdyn_timetopromised'] ?? null,
    msdyn_timewindowstart: wo['msdyn_timefrompromised'] ?? null,
    msdyn_timewindowend: wo['msdyn_timetopromised'] ?? null,
    msdyn_duration: duration,
    msdyn_worklocation: wo['msdyn_worklocation'] ?? null,
    msdyn_latitude: wo['msdyn_latitude'] ?? null,
    msdyn_longitude: wo['msdyn_longitude'] ?? null,
  };
}

export const fieldServicePlugin: Plugin = {
  preCreate(svc, _ctx, t: TableDef, a) {
    if (t.logicalName === WORK_ORDER) {
      if (!a['msdyn_name']) a['msdyn_name'] = nextWorkOrderNumber(svc);
      a['msdyn_systemstatus'] ??= WorkOrderSystemStatus.Unscheduled;
      a['msdyn_taxable'] ??= false;
      const account = ref(a['msdyn_serviceaccount']);
      const accountRow = account ? svc.store.get('account', account.id) : undefined;
      if (account && !a['msdyn_billingaccount']) a['msdyn_billingaccount'] = account;
      if (!a['msdyn_pricelist'] && accountRow?.['defaultpricelevelid']) a['msdyn_pricelist'] = accountRow['defaultpricelevelid'];
    }
    if (t.logicalName === BOOKING) {
      const requirement = ref(a['msdyn_resourcerequirement']);
      if (requirement && !a['msdyn_workorder']) {
        const wo = ref(svc.store.get(REQUIREMENT, requirement.id)?.['msdyn_workorder']);
        if (wo) a['msdyn_workorder'] = wo;
      }
      a['bookingtype'] ??= BookingType.Solid;
      a['duration'] ??= minutesBetween(a['starttime'], a['endtime']) ?? null;
      if (typeof a['starttime'] === 'string' && typeof a['endtime'] === 'string' && a['endtime'] < a['starttime']) {
        throw errors.invalidArgument('The booking end time must be after its start time.');
      }
    }
  },

  postCreate(svc, ctx, t, row) {
    if (t.logicalName === WORK_ORDER) {
      svc.create(ctx, REQUIREMENT, { ...requirementFromWorkOrder(row), msdyn_workorder: { logicalName: WORK_ORDER, id: row['msdyn_workorderid'] as string } });
    }
    if (t.logicalName === BOOKING) {
      const wo = ref(row['msdyn_workorder']);
      if (wo) recomputeWorkOrder(svc, ctx, wo.id);
    }
  },

  preUpdate(svc, _ctx, t, changes, before) {
    if (t.logicalName === WORK_ORDER && changes['msdyn_systemstatus'] !== undefined && changes['msdyn_systemstatus'] !== before['msdyn_systemstatus']) {
      if (before['msdyn_systemstatus'] === WorkOrderSystemStatus.Posted) {
        throw errors.invalidStatusTransition(WORK_ORDER, `work order ${String(before['msdyn_name'])} is Posted; its system status can no longer change.`);
      }
      if (changes['msdyn_systemstatus'] === WorkOrderSystemStatus.Canceled) {
        const bookings = svc.store.select(BOOKING, 't0."msdyn_workorder" = ?', [before['msdyn_workorderid'] as string]);
        if (bookings.some((b) => ACTIVE_FIELD_STATUSES.includes(fieldServiceStatusOf(svc, b)))) {
          throw errors.invalidStatusTransition(
            WORK_ORDER,
            `work order ${String(before['msdyn_name'])} has bookings in progress; complete or cancel them before cancelling the work order.`,
          );
        }
      }
    }
    if (t.logicalName === BOOKING && changes['bookingstatus']) {
      const status = ref(changes['bookingstatus']);
      const row = status ? svc.store.get('bookingstatus', status.id) : undefined;
      if (row?.['msdyn_fieldservicestatus'] === BookingSystemStatus.InProgress && !before['msdyn_actualarrivaltime'] && changes['msdyn_actualarrivaltime'] === undefined) {
        changes['msdyn_actualarrivaltime'] = svc.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
      }
    }
  },

  postUpdate(svc, ctx, t, changes, before, after) {
    if (t.logicalName === WORK_ORDER) {
      const id = after['msdyn_workorderid'] as string;
      if (changes['msdyn_systemstatus'] === WorkOrderSystemStatus.Canceled) {
        const canceled = svc.store.findBy('bookingstatus', { msdyn_fieldservicestatus: BookingSystemStatus.Canceled });
        for (const b of svc.store.select(BOOKING, 't0."msdyn_workorder" = ?', [id])) {
          if (canceled && fieldServiceStatusOf(svc, b) === BookingSystemStatus.Scheduled) {
            svc.update(ctx, BOOKING, b['bookableresourcebookingid'] as string, { bookingstatus: { logicalName: 'bookingstatus', id: canceled['bookingstatusid'] as string } });
          }
        }
      }
      if ('msdyn_timefrompromised' in changes || 'msdyn_timetopromised' in changes) {
        for (const r of svc.store.select(REQUIREMENT, 't0."msdyn_workorder" = ?', [id])) {
          svc.update(ctx, REQUIREMENT, r['msdyn_resourcerequirementid'] as string, {
            msdyn_fromdate: after['msdyn_timefrompromised'] ?? null,
            msdyn_todate: after['msdyn_timetopromised'] ?? null,
            msdyn_timewindowstart: after['msdyn_timefrompromised'] ?? null,
            msdyn_timewindowend: after['msdyn_timetopromised'] ?? null,
          });
        }
      }
    }
    if (t.logicalName === BOOKING && ('bookingstatus' in changes || 'msdyn_workorder' in changes)) {
      const now = ref(after['msdyn_workorder']);
      const was = ref(before['msdyn_workorder']);
      if (now) recomputeWorkOrder(svc, ctx, now.id);
      if (was && was.id !== now?.id) recomputeWorkOrder(svc, ctx, was.id);
    }
  },

  postDelete(svc, ctx, t, before) {
    if (t.logicalName === BOOKING) {
      const wo = ref(before['msdyn_workorder']);
      if (wo) recomputeWorkOrder(svc, ctx, wo.id);
    }
  },
};
