import { FIELD_STAGES } from '../lifecycle/fieldStage';
import { BookingStatusStatus, BookingSystemStatus as B, FieldStage, FieldStatus, fieldStageOptionSet, WorkOrderSystemStatus as W } from '../schema';
import { bookingSystemStatusOf, fieldStageBookingStatusRows, stageCompletesWorkOrder } from './bookingStatus';
import { fieldStageChoice, fieldStageFromChoice } from './fieldStageChoice';
import { fieldStatusChoice, taskFieldStatus, taskFieldStatusName } from './fieldStatus';
import { countBookingStatuses, workOrderStatusFromBookingStatuses } from './workOrderStatus';

describe('field stage ↔ choice values', () => {
  it('maps every stage to its pfb_fieldstage option and back', () => {
    expect(FIELD_STAGES.map(fieldStageChoice)).toEqual(fieldStageOptionSet.options.map((o) => o.value));
    for (const s of FIELD_STAGES) expect(fieldStageFromChoice(fieldStageChoice(s))).toBe(s);
    expect(fieldStageChoice('InProgress')).toBe(FieldStage.InProgress);
    expect(fieldStageChoice('Incomplete')).toBe(724310005);
    expect(fieldStageFromChoice(B.InProgress)).toBeUndefined();
  });
});

describe('field stage → Field Service booking status', () => {
  it.each([
    ['Acknowledged', B.Scheduled, true],
    ['Travel', B.Traveling, true],
    ['Onsite', B.InProgress, true],
    ['InProgress', B.InProgress, true],
    ['Complete', B.Completed, true],
    ['Incomplete', B.Completed, false],
  ] as const)('%s → %d (completes work order: %s)', (stage, status, completes) => {
    expect(bookingSystemStatusOf(stage)).toBe(status);
    expect(stageCompletesWorkOrder(stage)).toBe(completes);
  });

  it('gives the setup command one committed booking status row per stage, told apart by pfb_fieldstage', () => {
    const rows = fieldStageBookingStatusRows();
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.pfb_fieldstage)).size).toBe(6);
    expect(rows.every((r) => r.status === BookingStatusStatus.Committed)).toBe(true);
    expect(rows.find((r) => r.pfb_fieldstage === FieldStage.Incomplete)).toEqual({
      name: 'Field: Incomplete',
      status: BookingStatusStatus.Committed,
      msdyn_fieldservicestatus: B.Completed,
      msdyn_statuscompletesworkorder: false,
      pfb_fieldstage: FieldStage.Incomplete,
    });
  });
});

describe('work order system status from booking statuses (Field Service rule)', () => {
  const incomplete = { fieldServiceStatus: B.Completed, completesWorkOrder: false };
  it.each([
    ['no bookings', [], W.Unscheduled],
    ['only canceled bookings', [B.Canceled, B.Canceled], W.Unscheduled],
    ['a scheduled booking', [B.Scheduled], W.Scheduled],
    ['a traveling booking', [B.Scheduled, B.Traveling], W.InProgress],
    ['a booking on break (690970002, before In Progress numerically)', [B.OnBreak], W.InProgress],
    ['an in-progress booking beside a completed one', [B.Completed, B.InProgress], W.InProgress],
    ['all completed', [B.Completed, B.Completed], W.Completed],
    ['completed and canceled', [B.Completed, B.Canceled], W.Completed],
    ['completed and still scheduled', [B.Completed, B.Scheduled], W.InProgress],
    ['an Incomplete visit alone: work remains', [incomplete], W.InProgress],
    ['an Incomplete visit rebooked and completed', [incomplete, B.Completed], W.Completed],
    ['an Incomplete visit rebooked, not yet done', [incomplete, B.Scheduled], W.InProgress],
    ['a completed status that says it completes', [{ fieldServiceStatus: B.Completed }], W.Completed],
  ])('%s', (_what, statuses, expected) => {
    expect(workOrderStatusFromBookingStatuses(statuses, W.Scheduled)).toBe(expected);
  });

  it('never changes a Posted or Canceled work order', () => {
    expect(workOrderStatusFromBookingStatuses([B.InProgress], W.Posted)).toBe(W.Posted);
    expect(workOrderStatusFromBookingStatuses([], W.Canceled)).toBe(W.Canceled);
  });

  it('recomputes a Completed work order when a new booking is added', () => {
    expect(workOrderStatusFromBookingStatuses([B.Completed, B.Scheduled], W.Completed)).toBe(W.InProgress);
  });

  it('refuses a value that is not a Field Service status', () => {
    expect(() => workOrderStatusFromBookingStatuses([W.Completed + 10], W.Scheduled)).toThrow(/not a Field Service booking status/);
  });

  it('counts by meaning, not by numeric order', () => {
    expect(countBookingStatuses([B.OnBreak, B.InProgress, B.Traveling, B.Canceled, incomplete])).toEqual({ scheduled: 0, active: 3, completing: 0, nonCompleting: 1 });
  });
});

describe('task field status', () => {
  it.each([
    [{ workOrders: 0, completed: 0, incomplete: 0, started: 0 }, 'NotStarted'],
    [{ workOrders: 3, completed: 0, incomplete: 0, started: 0 }, 'NotStarted'],
    [{ workOrders: 3, completed: 1, incomplete: 0, started: 1 }, 'InProgress'],
    [{ workOrders: 3, completed: 1, incomplete: 1, started: 3 }, 'InProgress'],
    [{ workOrders: 3, completed: 2, incomplete: 1, started: 3 }, 'Incomplete'],
    [{ workOrders: 3, completed: 3, incomplete: 0, started: 3 }, 'Completed'],
  ] as const)('%j → %s', (counts, name) => {
    expect(taskFieldStatusName(counts)).toBe(name);
    expect(taskFieldStatus(counts)).toBe(FieldStatus[name]);
  });

  it('uses the pfb_fieldstatus option values', () => {
    expect(fieldStatusChoice('NotStarted')).toBe(724310000);
    expect(fieldStatusChoice('Incomplete')).toBe(724310003);
  });
});
