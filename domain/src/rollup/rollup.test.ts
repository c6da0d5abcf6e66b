import { bookingStateFromEvents, type BookingState } from '../lifecycle/bookingLifecycle';
import type { FieldEvent } from '../lifecycle/fieldEvent';
import { bookableresourcebooking, FieldStage, FieldStatus, msdyn_workorder, pfb_projectprogress, pfb_tasksync, WorkOrderSystemStatus, type TableDef } from '../schema';
import { bookingRollup, SCHEDULED_BOOKING, type BookingRollup } from './bookingRollup';
import { bookingColumns, projectProgressColumns, taskSyncColumns, workOrderColumns } from './columns';
import { extremeOf, replaceExtreme } from './extreme';
import { recomputeProject } from './projectRollup';
import { RescanRequiredError } from './rescan';
import { addBooking, applyFieldEvent, buildRollupIndex, indexColumns, removeBooking, setTaskEstimate } from './rollupIndex';
import { recomputeTask, taskRollup, type TaskRollup } from './taskRollup';
import { applyBookingChange, recomputeWorkOrder, workOrderPhase, workOrderRollup, type WorkOrderRollup } from './workOrderRollup';

const T0 = '2027-03-01T00:00:00Z';
const T1 = '2027-03-01T01:00:00Z';
const T2 = '2027-03-01T02:00:00Z';
const T3 = '2027-03-01T03:00:00Z';

const booking = (phase: BookingRollup['phase'], start: string | null = null, end: string | null = null, effortSeconds = 0): BookingRollup => ({
  phase,
  actualStart: start,
  actualEnd: end,
  effortSeconds,
  lastEventAt: end ?? start,
});
const wo = (plannedHours: number, ...bookings: BookingRollup[]): WorkOrderRollup => workOrderRollup(recomputeWorkOrder(plannedHours, bookings));

describe('extremes with counts', () => {
  it('moves in O(1) unless the only holder leaves', () => {
    const e = extremeOf([T1, T2, null, T1], 'min');
    expect(e).toEqual({ value: T1, count: 2 });
    expect(replaceExtreme(e, null, T0, 'min')).toEqual({ value: T0, count: 1 });
    expect(replaceExtreme(e, T1, T3, 'min')).toEqual({ value: T1, count: 1 });
    expect(replaceExtreme({ value: T1, count: 1 }, T1, T0, 'min')).toEqual({ value: T0, count: 1 });
    expect(replaceExtreme({ value: T1, count: 1 }, T1, T3, 'min')).toBeUndefined();
    expect(replaceExtreme({ value: T3, count: 1 }, T3, null, 'max')).toBeUndefined();
  });
});

describe('bookings → work order', () => {
  it('completes when its bookings are Complete; an open booking keeps it in progress', () => {
    expect(workOrderPhase(recomputeWorkOrder(4, []))).toBe('NotStarted');
    expect(workOrderPhase(recomputeWorkOrder(4, [SCHEDULED_BOOKING]))).toBe('NotStarted');
    expect(workOrderPhase(recomputeWorkOrder(4, [booking('Active', T0)]))).toBe('InProgress');
    expect(workOrderPhase(recomputeWorkOrder(4, [booking('Complete', T0, T1), SCHEDULED_BOOKING]))).toBe('InProgress');
    expect(workOrderPhase(recomputeWorkOrder(4, [booking('Complete', T0, T1), booking('Complete', T1, T2)]))).toBe('Completed');
  });

  it('is Incomplete when its visits ended Incomplete, and Completed once a rebooked visit completes', () => {
    const visit = booking('Incomplete', T0, T1, 3600);
    expect(workOrderPhase(recomputeWorkOrder(4, [visit]))).toBe('Incomplete');
    expect(workOrderPhase(recomputeWorkOrder(4, [visit, SCHEDULED_BOOKING]))).toBe('InProgress');
    const done = recomputeWorkOrder(4, [visit, booking('Complete', T2, T3, 3600)]);
    expect(workOrderPhase(done)).toBe('Completed');
    expect(done.effortSeconds).toBe(7200);
  });

  it('starts at the earliest booking start, ends at the latest end once finished', () => {
    expect(wo(4, booking('Complete', T1, T2), booking('Active', T0))).toMatchObject({ actualStart: T0, actualEnd: null, phase: 'InProgress' });
    expect(wo(4, booking('Complete', T1, T3), booking('Complete', T0, T2))).toMatchObject({ actualStart: T0, actualEnd: T3, phase: 'Completed' });
  });

  it('derives the Field Service system status the same way Field Service does', () => {
    const agg = recomputeWorkOrder(4, [booking('Incomplete', T0, T1)]);
    expect(workOrderColumns(agg, WorkOrderSystemStatus.Scheduled)).toEqual({ msdyn_systemstatus: WorkOrderSystemStatus.InProgress });
    expect(workOrderColumns(recomputeWorkOrder(4, []), WorkOrderSystemStatus.Scheduled)).toEqual({ msdyn_systemstatus: WorkOrderSystemStatus.Unscheduled });
    expect(workOrderColumns(agg, WorkOrderSystemStatus.Posted)).toEqual({ msdyn_systemstatus: WorkOrderSystemStatus.Posted });
  });

  it('asks for the children only when the sole earliest start moves later', () => {
    const before = booking('Active', T0);
    const other = booking('Active', T2);
    const agg = recomputeWorkOrder(4, [before, other]);
    const after = booking('Active', T1);
    expect(() => applyBookingChange(agg, before, after)).toThrow(RescanRequiredError);
    expect(applyBookingChange(agg, before, after, () => [after, other]).start).toEqual({ value: T1, count: 1 });
    expect(applyBookingChange(agg, other, booking('Active', T3)).start).toEqual({ value: T0, count: 1 });
  });
});

describe('work orders → task (pfb_tasksync)', () => {
  it('weights % complete by planned effort and sums actual effort', () => {
    const task = recomputeTask(10, [wo(2, booking('Complete', T0, T1, 5400)), wo(6, booking('Active', T1)), wo(2, booking('Complete', T1, T2, 3600))]);
    expect(taskSyncColumns(task)).toEqual({
      pfb_actualstart: T0,
      pfb_actualend: null,
      pfb_actualeffort: 2.5,
      pfb_effortvariance: -7.5,
      pfb_effortvariancepct: -75,
      pfb_percentcomplete: 40,
      pfb_workorderscompleted: 2,
      pfb_workordersincomplete: 0,
      pfb_fieldstatus: FieldStatus.InProgress,
    });
  });

  it('is Completed with an actual end when all its work orders are', () => {
    const task = recomputeTask(2, [wo(1, booking('Complete', T0, T1, 3600)), wo(1, booking('Complete', T1, T3, 7200))]);
    expect(taskSyncColumns(task)).toMatchObject({ pfb_percentcomplete: 100, pfb_actualend: T3, pfb_actualeffort: 3, pfb_effortvariance: 1, pfb_effortvariancepct: 50, pfb_fieldstatus: FieldStatus.Completed });
  });

  it('is Incomplete when every work order has finished and one ended Incomplete', () => {
    const task = recomputeTask(2, [wo(1, booking('Complete', T0, T1)), wo(1, booking('Incomplete', T1, T2))]);
    expect(taskSyncColumns(task)).toMatchObject({ pfb_percentcomplete: 50, pfb_workorderscompleted: 1, pfb_workordersincomplete: 1, pfb_actualend: T2, pfb_fieldstatus: FieldStatus.Incomplete });
  });

  it('falls back to counting work orders when none has planned effort, and is 0% with none', () => {
    expect(taskSyncColumns(recomputeTask(3, [wo(0, booking('Complete', T0, T1)), wo(0), wo(0)])).pfb_percentcomplete).toBe(33.33);
    expect(taskSyncColumns(recomputeTask(3, []))).toMatchObject({ pfb_percentcomplete: 0, pfb_fieldstatus: FieldStatus.NotStarted, pfb_actualstart: null });
  });

  it('has no variance % without an estimate, and keeps a huge % inside the column range', () => {
    expect(taskSyncColumns(recomputeTask(0, [wo(1, booking('Complete', T0, T1, 3600))])).pfb_effortvariancepct).toBeNull();
    const tiny = taskSyncColumns(recomputeTask(0.01, [wo(1, booking('Complete', T0, T1, 3600 * 5000))]));
    expect(tiny.pfb_effortvariancepct).toBe(pfb_tasksync.columns['pfb_effortvariancepct']?.maxValue);
  });

  it('rounds to 2 decimals only at output, half away from zero', () => {
    // Three bookings of 20 minutes each: 1.00 h, not 0.33 + 0.33 + 0.33.
    const third = booking('Complete', T0, T1, 1200);
    expect(taskSyncColumns(recomputeTask(1, [wo(1, third, third, third)])).pfb_actualeffort).toBe(1);
    // 18 s = 0.005 h → 0.01 h; variance −0.995 h → −1.
    const task = taskSyncColumns(recomputeTask(1, [wo(1, booking('Complete', T0, T1, 18))]));
    expect(task.pfb_actualeffort).toBe(0.01);
    expect(task.pfb_effortvariance).toBe(-1);
  });
});

describe('tasks → project (pfb_projectprogress)', () => {
  const task = (estimate: number, ...workOrders: WorkOrderRollup[]): TaskRollup => taskRollup(recomputeTask(estimate, workOrders));

  it('weights % complete by task estimate and sums effort, estimate and variance', () => {
    const half = task(10, wo(1, booking('Complete', T0, T1, 3600)), wo(1, booking('Active', T1)));
    const done = task(30, wo(3, booking('Complete', T1, T3, 7200)));
    const project = projectProgressColumns(recomputeProject([half, done]));
    expect(project).toEqual({
      pfb_percentcomplete: 87.5,
      pfb_taskscompleted: 1,
      pfb_taskstotal: 2,
      pfb_actualstart: T0,
      pfb_actualend: null,
      pfb_actualeffort: 3,
      pfb_estimatedeffort: 40,
      pfb_effortvariance: -37,
      pfb_lastfieldupdate: T3,
    });
  });

  it('has an actual end once every task has finished', () => {
    const project = projectProgressColumns(recomputeProject([task(1, wo(1, booking('Complete', T0, T1))), task(1, wo(1, booking('Incomplete', T1, T2)))]));
    expect(project).toMatchObject({ pfb_actualend: T2, pfb_taskscompleted: 1, pfb_percentcomplete: 50 });
  });

  it('falls back to counting tasks when no task has an estimate', () => {
    expect(projectProgressColumns(recomputeProject([task(0, wo(1, booking('Complete', T0, T1))), task(0), task(0)])).pfb_percentcomplete).toBe(33.33);
    expect(projectProgressColumns(recomputeProject([])).pfb_percentcomplete).toBe(0);
  });
});

describe('output columns match the schema module', () => {
  function check(table: TableDef, row: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(row)) {
      const column = table.columns[name];
      if (!column) throw new Error(`${table.logicalName}.${name} is not in the schema`);
      if (value === null) continue;
      if (column.type === 'decimal' || column.type === 'integer') {
        expect(typeof value).toBe('number');
        expect(value).toBeGreaterThanOrEqual(column.minValue ?? -Infinity);
        expect(value).toBeLessThanOrEqual(column.maxValue ?? Infinity);
        if (column.type === 'integer') expect(Number.isInteger(value)).toBe(true);
        else expect(Math.round((value as number) * 100) / 100).toBe(value);
      } else if (column.type === 'picklist') {
        expect(column.optionSet?.options.map((o) => o.value)).toContain(value);
      } else if (column.type === 'datetime') {
        expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      } else if (column.type === 'memo' || column.type === 'string') {
        expect(typeof value).toBe('string');
      } else {
        throw new Error(`${table.logicalName}.${name}: unexpected column type ${column.type}`);
      }
    }
  }

  it('writes only real columns, with values they accept', () => {
    const events: FieldEvent[] = [
      { eventId: 'a', bookingId: '6f1c2a9e-1d2b-4c3d-8e9f-0a1b2c3d4e5f', stage: 'Travel', occurredAt: '2027-03-01T08:00:00+11:00', sequence: 1 },
      { eventId: 'b', bookingId: '6f1c2a9e-1d2b-4c3d-8e9f-0a1b2c3d4e5f', stage: 'Onsite', occurredAt: '2027-03-01T08:20:31+11:00', sequence: 2 },
      { eventId: 'c', bookingId: '6f1c2a9e-1d2b-4c3d-8e9f-0a1b2c3d4e5f', stage: 'Incomplete', occurredAt: '2027-03-01T10:00:00+11:00', sequence: 3, reason: 'Locked gate' },
    ];
    const state = bookingStateFromEvents(events) as BookingState;
    const b = bookingColumns(state);
    expect(b).toEqual({
      pfb_fieldstage: FieldStage.Incomplete,
      pfb_fieldstageon: '2027-02-28T23:00:00Z',
      pfb_fieldsequence: 3,
      pfb_actualstart: '2027-02-28T21:20:31Z',
      pfb_actualend: '2027-02-28T23:00:00Z',
      pfb_actualeffort: 1.66,
      pfb_incompletereason: 'Locked gate',
      msdyn_actualarrivaltime: '2027-02-28T21:20:31Z',
      msdyn_actualtravelduration: 21,
    });
    check(bookableresourcebooking, { ...b });
    const woAgg = recomputeWorkOrder(4, [bookingRollup(state)]);
    check(msdyn_workorder, { ...workOrderColumns(woAgg, WorkOrderSystemStatus.Scheduled) });
    const taskAgg = recomputeTask(4, [workOrderRollup(woAgg)]);
    check(pfb_tasksync, { ...taskSyncColumns(taskAgg) });
    check(pfb_projectprogress, { ...projectProgressColumns(recomputeProject([taskRollup(taskAgg)])) });
  });
});

describe('the roll-up index (event → booking → work order → task → project)', () => {
  const B1 = '00000000-0000-4000-8000-000000000001';
  const B2 = '00000000-0000-4000-8000-000000000002';
  const shape = {
    tasks: [{ taskId: 'T', projectId: 'P', estimateHours: 8 }],
    workOrders: [
      { workOrderId: 'W1', taskId: 'T', plannedEffortHours: 4 },
      { workOrderId: 'W2', taskId: 'T', plannedEffortHours: 4 },
    ],
    bookings: [
      { bookingId: B1, workOrderId: 'W1' },
      { bookingId: B2, workOrderId: 'W2' },
    ],
  };
  const e = (id: string, bookingId: string, stage: FieldEvent['stage'], time: string, sequence: number, extra: Partial<FieldEvent> = {}): FieldEvent => ({
    eventId: id,
    bookingId,
    stage,
    occurredAt: `2027-03-01T${time}+11:00`,
    sequence,
    ...extra,
  });

  it('reports the rows to write, and only those that changed', () => {
    const index = buildRollupIndex(shape);
    const first = applyFieldEvent(index, e('1', B1, 'Travel', '08:00:00', 1));
    expect(first.outcome).toBe('Applied');
    expect(first.workOrder).toEqual({ id: 'W1', columns: { msdyn_systemstatus: WorkOrderSystemStatus.InProgress } });
    expect(first.task?.columns.pfb_fieldstatus).toBe(FieldStatus.InProgress);
    expect(applyFieldEvent(index, e('1', B1, 'Travel', '08:00:00', 1))).toEqual({ outcome: 'Duplicate', changed: false });
    const onsite = applyFieldEvent(index, e('2', B1, 'Onsite', '08:30:00', 2));
    expect(onsite.workOrder).toBeUndefined(); // still In Progress for Field Service
    expect(onsite.project?.columns.pfb_actualstart).toBe('2027-02-28T21:30:00Z');
  });

  it('follows an Incomplete visit, its rebooking and completion through to the project', () => {
    const index = buildRollupIndex(shape);
    applyFieldEvent(index, e('1', B1, 'InProgress', '08:00:00', 1));
    applyFieldEvent(index, e('2', B1, 'Complete', '12:00:00', 2));
    applyFieldEvent(index, e('3', B2, 'InProgress', '08:00:00', 1));
    const incomplete = applyFieldEvent(index, e('4', B2, 'Incomplete', '09:00:00', 2, { reason: 'Parts missing', remainingEffortHours: 3 }));
    expect(incomplete.task?.columns).toMatchObject({ pfb_fieldstatus: FieldStatus.Incomplete, pfb_percentcomplete: 50, pfb_workordersincomplete: 1 });
    const B3 = '00000000-0000-4000-8000-000000000003';
    const rebooked = addBooking(index, B3, 'W2');
    expect(rebooked.task?.columns).toMatchObject({ pfb_fieldstatus: FieldStatus.InProgress, pfb_workordersincomplete: 0 });
    applyFieldEvent(index, e('5', B3, 'InProgress', '13:00:00', 1));
    const done = applyFieldEvent(index, e('6', B3, 'Complete', '16:00:00', 2));
    expect(done.task?.columns).toMatchObject({ pfb_fieldstatus: FieldStatus.Completed, pfb_percentcomplete: 100, pfb_actualeffort: 8, pfb_effortvariance: 0 });
    expect(done.project?.columns).toMatchObject({ pfb_percentcomplete: 100, pfb_taskscompleted: 1, pfb_actualend: '2027-03-01T05:00:00Z' });

    // Canceling the rebooked visit again, then re-estimating the task, recompute what they must.
    removeBooking(index, B3);
    expect(indexColumns(index).tasks['T']).toMatchObject({ pfb_fieldstatus: FieldStatus.Incomplete, pfb_actualeffort: 5, pfb_actualend: '2027-03-01T01:00:00Z' });
    const reestimated = setTaskEstimate(index, 'T', 10);
    expect(reestimated.project?.columns).toMatchObject({ pfb_estimatedeffort: 10, pfb_effortvariance: -5, pfb_percentcomplete: 50 });
  });

  it('refuses events for a booking it does not know', () => {
    const index = buildRollupIndex(shape);
    expect(() => applyFieldEvent(index, e('x', '00000000-0000-4000-8000-000000000009', 'Travel', '08:00:00', 1))).toThrow(/no booking/);
  });
});
