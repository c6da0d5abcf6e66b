/**
 * Reads the field progress of the form's record through `context.webAPI`, in at most four requests per refresh (DESIGN
 * §2: every request counts against the user's service protection limits, and the panel refreshes on a timer):
 * the record's roll-up row, its bookings (one query, through a lookup path for task syncs and projects), and the
 * field events of those bookings (one `In(...)` query). Labels of choices and lookups are the platform's formatted
 * values (the user's language, time zone and formats).
 */
import {
  BookingSystemStatus,
  bookableresourcebooking,
  bookingstatus,
  msdyn_projecttask,
  msdyn_workorder,
  msdyn_project,
  pfb_fieldevent,
  pfb_projectprogress,
  pfb_tasksync,
} from '../../shared/schemaNames';
import { formattedOf, idOf, inFilter, numberOf, queryOptions, retrieveAll, stringOf, type Row, type WebApiReader } from '../../shared/odata';
import { toDate, type Formatter } from '../../shared/format';
import { firstReached, stageNameOf, stageSteps } from '../model/stages';
import type { BookingView, EventView, ProgressView, Scope, ScopeKind, SummaryView } from '../model/types';

const B = bookableresourcebooking;
const E = pfb_fieldevent;
const S = pfb_tasksync;
const W = msdyn_workorder;
const P = pfb_projectprogress;

export interface LoadLimits {
  /** Bookings shown for a project (the most recently active). */
  readonly maxBookings: number;
  readonly maxEvents: number;
}

/** The table of the form the panel sits on decides what it shows. */
export function scopeOf(entityName: string, id: string | null): Scope | null {
  if (!id) return null;
  const kinds: Record<string, ScopeKind> = {
    [W.logicalName]: 'workorder',
    [S.logicalName]: 'tasksync',
    [msdyn_projecttask.logicalName]: 'task',
    [msdyn_project.logicalName]: 'project',
  };
  const kind = kinds[entityName];
  return kind ? { kind, id } : null;
}

const BOOKING_SELECT = [
  B.primaryIdAttribute,
  B.columns.name,
  B.columns.starttime,
  B.columns.endtime,
  B.columns.duration,
  B.lookups.resource.valueProperty,
  B.lookups.bookingstatus.valueProperty,
  B.lookups.msdyn_workorder.valueProperty,
  B.columns.pfb_fieldstage,
  B.columns.pfb_fieldstageon,
  B.columns.pfb_actualstart,
  B.columns.pfb_actualend,
  B.columns.pfb_actualeffort,
  B.columns.pfb_incompletereason,
];

/** The booking status's Field Service status, to leave cancelled bookings out of the counts. */
const BOOKING_EXPAND = `${B.lookups.bookingstatus.navigationProperty}($select=${bookingstatus.columns.msdyn_fieldservicestatus})`;

export function isCancelled(booking: Row): boolean {
  const status = booking[B.lookups.bookingstatus.navigationProperty] as Row | null | undefined;
  return !!status && numberOf(status, bookingstatus.columns.msdyn_fieldservicestatus) === BookingSystemStatus.Canceled;
}

const EVENT_SELECT = [
  E.primaryIdAttribute,
  E.columns.pfb_eventid,
  E.lookups.pfb_booking.valueProperty,
  E.columns.pfb_stage,
  E.columns.pfb_occurredon,
  E.columns.pfb_receivedon,
  E.columns.pfb_sequence,
  E.columns.pfb_outcome,
];

export function createProgressLoader(webApi: WebApiReader, fmt: Formatter, limits: LoadLimits): (scope: Scope) => Promise<ProgressView> {
  const when = (row: Row, col: string): string | null => {
    const f = formattedOf(row, col);
    if (f) return f;
    const d = toDate(row[col]);
    return d ? fmt.dateTime(d) : null;
  };
  const formatIso = (iso: string): string => {
    const d = toDate(iso);
    return d ? fmt.dateTime(d) : iso;
  };

  /** With `top`: the most recently moved bookings, one request without a page size ($top is ignored with maxpagesize). */
  const readBookings = async (filter: string, top?: number): Promise<Row[]> => {
    if (top !== undefined) {
      const page = await webApi.retrieveMultipleRecords(B.logicalName, queryOptions({ select: BOOKING_SELECT, expand: BOOKING_EXPAND, filter, orderBy: `${B.columns.pfb_fieldstageon} desc`, top }));
      return page.entities as Row[];
    }
    return retrieveAll(webApi, B.logicalName, queryOptions({ select: BOOKING_SELECT, expand: BOOKING_EXPAND, filter, orderBy: `${B.columns.starttime} asc,${B.columns.name} asc` }), 500, 5000);
  };

  const readEvents = async (bookingIds: string[]): Promise<Row[]> =>
    bookingIds.length === 0
      ? []
      : retrieveAll(webApi, E.logicalName, queryOptions({ select: EVENT_SELECT, filter: inFilter(E.columns.pfb_booking, bookingIds), orderBy: `${E.columns.pfb_occurredon} desc` }), 5000, 5000);

  const assemble = async (scope: Scope, title: string | null, summary: SummaryView | null, bookingRows: Row[], limited: boolean): Promise<ProgressView> => {
    const bookingIds = bookingRows.map((r) => idOf(r, B.primaryIdAttribute)).filter((x): x is string => x !== null);
    const eventRows = await readEvents(bookingIds);
    const eventsByBooking = new Map<string, Row[]>();
    for (const e of eventRows) {
      const b = idOf(e, E.lookups.pfb_booking.valueProperty);
      if (!b) continue;
      const list = eventsByBooking.get(b) ?? [];
      list.push(e);
      eventsByBooking.set(b, list);
    }
    const names = new Map<string, string>();
    const bookings: BookingView[] = bookingRows.map((r) => {
      const id = idOf(r, B.primaryIdAttribute) as string;
      const stage = stageNameOf(numberOf(r, B.columns.pfb_fieldstage));
      const reached = firstReached(
        (eventsByBooking.get(id) ?? []).map((e) => ({ stage: numberOf(e, E.columns.pfb_stage), occurredOn: stringOf(e, E.columns.pfb_occurredon), outcome: numberOf(e, E.columns.pfb_outcome) })),
      );
      // What a dispatcher recognises: the work order and the technician (booking names are often generated).
      const workOrderName = formattedOf(r, B.lookups.msdyn_workorder.valueProperty) ?? null;
      const technician = formattedOf(r, B.lookups.resource.valueProperty) ?? null;
      const name = [workOrderName, technician].filter(Boolean).join(' · ') || stringOf(r, B.columns.name) || id;
      names.set(id, name);
      const duration = numberOf(r, B.columns.duration);
      return {
        id,
        name,
        bookingName: stringOf(r, B.columns.name),
        workOrderName,
        technician,
        bookingStatus: formattedOf(r, B.lookups.bookingstatus.valueProperty) ?? null,
        stage,
        stageLabel: formattedOf(r, B.columns.pfb_fieldstage) ?? null,
        scheduled: { start: when(r, B.columns.starttime), end: when(r, B.columns.endtime) },
        steps: stageSteps(stage, reached, formatIso),
        actualStart: when(r, B.columns.pfb_actualstart),
        actualEnd: when(r, B.columns.pfb_actualend),
        actualEffort: numberOf(r, B.columns.pfb_actualeffort),
        // Booked duration is in minutes: the planned time on site.
        plannedEffort: duration !== null ? Math.round((duration / 60) * 100) / 100 : null,
        incompleteReason: stringOf(r, B.columns.pfb_incompletereason),
      };
    });
    const events: EventView[] = [...eventRows]
      .sort((a, b) => (stringOf(b, E.columns.pfb_receivedon) ?? '').localeCompare(stringOf(a, E.columns.pfb_receivedon) ?? '') || (numberOf(b, E.columns.pfb_sequence) ?? 0) - (numberOf(a, E.columns.pfb_sequence) ?? 0))
      .slice(0, limits.maxEvents)
      .map((e) => {
        const booking = idOf(e, E.lookups.pfb_booking.valueProperty);
        return {
          id: idOf(e, E.primaryIdAttribute) ?? String(e[E.columns.pfb_eventid]),
          bookingName: (booking && names.get(booking)) ?? formattedOf(e, E.lookups.pfb_booking.valueProperty) ?? '',
          stageLabel: formattedOf(e, E.columns.pfb_stage) ?? stageNameOf(numberOf(e, E.columns.pfb_stage)) ?? '',
          occurredOn: when(e, E.columns.pfb_occurredon),
          receivedOn: when(e, E.columns.pfb_receivedon),
          outcome: numberOf(e, E.columns.pfb_outcome),
          outcomeLabel: formattedOf(e, E.columns.pfb_outcome) ?? null,
        };
      });
    return { scope, title, notInField: false, summary, bookings, events, bookingsLimited: limited };
  };

  const taskSyncSelect = [
    S.primaryIdAttribute,
    S.columns.pfb_name,
    S.columns.pfb_fieldstatus,
    S.columns.pfb_plannedworkorders,
    S.columns.pfb_plannedeffort,
    S.columns.pfb_actualstart,
    S.columns.pfb_actualend,
    S.columns.pfb_actualeffort,
    S.columns.pfb_effortvariance,
    S.columns.pfb_effortvariancepct,
    S.columns.pfb_percentcomplete,
    S.columns.pfb_workorderscompleted,
    S.columns.pfb_workordersincomplete,
  ];

  const fromTaskSync = async (scope: Scope, row: Row): Promise<ProgressView> => {
    const id = idOf(row, S.primaryIdAttribute) as string;
    const bookings = await readBookings(`${B.lookups.msdyn_workorder.navigationProperty}/${W.lookups.pfb_tasksync.valueProperty} eq ${id}`);
    const planned = numberOf(row, S.columns.pfb_plannedeffort);
    const actual = numberOf(row, S.columns.pfb_actualeffort);
    const summary: SummaryView = {
      percentComplete: numberOf(row, S.columns.pfb_percentcomplete),
      completed: numberOf(row, S.columns.pfb_workorderscompleted),
      total: numberOf(row, S.columns.pfb_plannedworkorders),
      countKind: 'workorders',
      actualEffort: actual,
      estimatedEffort: planned,
      variance: numberOf(row, S.columns.pfb_effortvariance) ?? (actual !== null && planned !== null ? actual - planned : null),
      variancePct: numberOf(row, S.columns.pfb_effortvariancepct),
      actualStart: when(row, S.columns.pfb_actualstart),
      actualEnd: when(row, S.columns.pfb_actualend),
      lastUpdate: null,
      statusLabel: formattedOf(row, S.columns.pfb_fieldstatus) ?? null,
    };
    return assemble(scope, stringOf(row, S.columns.pfb_name), summary, bookings, false);
  };

  return async (scope) => {
    switch (scope.kind) {
      case 'workorder': {
        const wo = await webApi.retrieveRecord(W.logicalName, scope.id, queryOptions({ select: [W.columns.msdyn_name, W.columns.msdyn_systemstatus, W.columns.pfb_plannedeffort] }));
        const bookingRows = await readBookings(`${B.lookups.msdyn_workorder.valueProperty} eq ${scope.id}`);
        const counted = bookingRows.filter((r) => !isCancelled(r));
        const done = counted.filter((r) => stageNameOf(numberOf(r, B.columns.pfb_fieldstage)) === 'Complete').length;
        const ended = counted.filter((r) => ['Complete', 'Incomplete'].includes(stageNameOf(numberOf(r, B.columns.pfb_fieldstage)) ?? '')).length;
        const efforts = counted.map((r) => numberOf(r, B.columns.pfb_actualeffort)).filter((n): n is number => n !== null);
        const actual = efforts.length ? Math.round(efforts.reduce((a, b) => a + b, 0) * 100) / 100 : null;
        const planned = numberOf(wo as Row, W.columns.pfb_plannedeffort);
        const starts = counted.map((r) => stringOf(r, B.columns.pfb_actualstart)).filter((s): s is string => s !== null).sort((a, b) => Date.parse(a) - Date.parse(b));
        const ends = counted.map((r) => stringOf(r, B.columns.pfb_actualend)).filter((s): s is string => s !== null).sort((a, b) => Date.parse(a) - Date.parse(b));
        const fmtIso = (iso: string | undefined): string | null => (iso ? fmt.dateTime(toDate(iso) as Date) : null);
        const summary: SummaryView = {
          percentComplete: counted.length ? Math.round((done / counted.length) * 10000) / 100 : null,
          completed: done,
          total: counted.length,
          countKind: 'bookings',
          actualEffort: actual,
          estimatedEffort: planned,
          variance: actual !== null && planned !== null ? Math.round((actual - planned) * 100) / 100 : null,
          variancePct: actual !== null && planned ? Math.round(((actual - planned) / planned) * 10000) / 100 : null,
          actualStart: fmtIso(starts[0]),
          // Ended when every booking has ended (Complete or Incomplete).
          actualEnd: counted.length > 0 && ended === counted.length ? fmtIso(ends[ends.length - 1]) : null,
          lastUpdate: null,
          statusLabel: formattedOf(wo as Row, W.columns.msdyn_systemstatus) ?? null,
        };
        return assemble(scope, stringOf(wo as Row, W.columns.msdyn_name), summary, bookingRows, false);
      }
      case 'tasksync': {
        const row = await webApi.retrieveRecord(S.logicalName, scope.id, queryOptions({ select: taskSyncSelect }));
        return fromTaskSync(scope, row as Row);
      }
      case 'task': {
        const rows = await webApi.retrieveMultipleRecords(S.logicalName, queryOptions({ select: taskSyncSelect, filter: `${S.lookups.pfb_projecttask.valueProperty} eq ${scope.id}` }), 1);
        const row = rows.entities[0] as Row | undefined;
        if (!row) return { scope, title: null, notInField: true, summary: null, bookings: [], events: [], bookingsLimited: false };
        return fromTaskSync(scope, row);
      }
      case 'project': {
        const progress = await webApi.retrieveMultipleRecords(
          P.logicalName,
          queryOptions({
            select: [P.columns.pfb_name, P.columns.pfb_percentcomplete, P.columns.pfb_taskscompleted, P.columns.pfb_taskstotal, P.columns.pfb_actualstart, P.columns.pfb_actualend, P.columns.pfb_actualeffort, P.columns.pfb_estimatedeffort, P.columns.pfb_effortvariance, P.columns.pfb_lastfieldupdate],
            filter: `${P.lookups.pfb_project.valueProperty} eq ${scope.id}`,
          }),
          1,
        );
        const row = progress.entities[0] as Row | undefined;
        const bookingRows = await readBookings(`${B.lookups.msdyn_workorder.navigationProperty}/${W.lookups.pfb_project.valueProperty} eq ${scope.id} and ${B.columns.pfb_fieldstage} ne null`, limits.maxBookings + 1);
        const limited = bookingRows.length > limits.maxBookings;
        const actual = row ? numberOf(row, P.columns.pfb_actualeffort) : null;
        const estimate = row ? numberOf(row, P.columns.pfb_estimatedeffort) : null;
        const variance = row ? numberOf(row, P.columns.pfb_effortvariance) : null;
        const summary: SummaryView | null = row
          ? {
              percentComplete: numberOf(row, P.columns.pfb_percentcomplete),
              completed: numberOf(row, P.columns.pfb_taskscompleted),
              total: numberOf(row, P.columns.pfb_taskstotal),
              countKind: 'tasks',
              actualEffort: actual,
              estimatedEffort: estimate,
              variance,
              variancePct: variance !== null && estimate ? Math.round((variance / estimate) * 10000) / 100 : null,
              actualStart: when(row, P.columns.pfb_actualstart),
              actualEnd: when(row, P.columns.pfb_actualend),
              lastUpdate: when(row, P.columns.pfb_lastfieldupdate),
              statusLabel: null,
            }
          : null;
        return assemble(scope, row ? stringOf(row, P.columns.pfb_name) : null, summary, bookingRows.slice(0, limits.maxBookings), limited);
      }
    }
  };
}
