import { diffPlan } from './diffPlan';
import { planWorkOrders } from './planWorkOrders';
import { PlanningError } from './planningError';
import { asExisting, taskInput } from './testSupport';
import type { PlanDiff, PlanInput } from './types';

/** Monday 1 June to Friday 5 June 2026 in Sydney, two riggers, 8 h a day each. */
const week: PlanInput = taskInput({
  start: '2026-05-31T22:00:00Z',
  end: '2026-06-05T07:00:00Z',
  effortHours: 80,
  resources: [{ roleId: 'role-rigger', roleName: 'Rigger', count: 2 }],
});

function keys(diff: PlanDiff): Record<keyof PlanDiff, string[]> {
  return {
    create: diff.create.map((s) => s.key),
    update: diff.update.map((u) => u.slot.key),
    unchanged: diff.unchanged.map((s) => s.key),
    cancel: diff.cancel.map((s) => s.key),
    keptStarted: diff.keptStarted.map((s) => s.key),
  };
}

const none = { create: [], update: [], unchanged: [], cancel: [], keptStarted: [] };
const all = (n: number): string[] => Array.from({ length: n }, (_, i) => `task-1:${i}`);

describe('diffPlan', () => {
  const plan = planWorkOrders(week);

  it('finds nothing to do when an unchanged task is planned again', () => {
    const diff = diffPlan(asExisting(plan), planWorkOrders(week));
    expect(keys(diff)).toEqual({ ...none, unchanged: all(10) });
  });

  it('compares instants and hundredths, not text: windows read back with milliseconds are unchanged', () => {
    const readBack = asExisting(plan).map((e) => ({ ...e, windowStart: e.windowStart.replace('Z', '.000Z'), effortHours: e.effortHours + 1e-9 }));
    expect(keys(diffPlan(readBack, plan))).toEqual({ ...none, unchanged: all(10) });
  });

  it('creates the new days of a longer task and keeps the old keys', () => {
    // Two more working days (Monday and Tuesday) at the same 8 h a day per rigger.
    const longer = planWorkOrders({ ...week, end: '2026-06-09T07:00:00Z', effortHours: 112 });
    const diff = diffPlan(asExisting(plan), longer);
    expect(keys(diff)).toEqual({ ...none, unchanged: all(10), create: ['task-1:10', 'task-1:11', 'task-1:12', 'task-1:13'] });
    expect(diff.create.map((s) => [s.localDate, s.resourceNumber, s.effortHours])).toEqual([
      ['2026-06-08', 1, 8],
      ['2026-06-08', 2, 8],
      ['2026-06-09', 1, 8],
      ['2026-06-09', 2, 8],
    ]);
  });

  it('cancels the dropped days of a shorter task', () => {
    const shorter = planWorkOrders({ ...week, end: '2026-06-03T07:00:00Z', effortHours: 48 });
    const diff = diffPlan(asExisting(plan), shorter);
    expect(keys(diff)).toEqual({ ...none, unchanged: all(6), cancel: ['task-1:6', 'task-1:7', 'task-1:8', 'task-1:9'] });
  });

  it('never cancels a work order whose work has started', () => {
    const shorter = planWorkOrders({ ...week, end: '2026-06-03T07:00:00Z', effortHours: 48 });
    const existing = asExisting(plan, (key) => ({ started: key === 'task-1:7' || key === 'task-1:2' }));
    const diff = diffPlan(existing, shorter);
    expect(keys(diff)).toEqual({ ...none, unchanged: all(6), cancel: ['task-1:6', 'task-1:8', 'task-1:9'], keptStarted: ['task-1:7'] });
    expect(diff.keptStarted[0]).toEqual(existing[7]);
  });

  it('updates every slot whose effort changes', () => {
    const more = planWorkOrders({ ...week, effortHours: 90 });
    const diff = diffPlan(asExisting(plan), more);
    expect(keys(diff)).toEqual({ ...none, update: all(10) });
    expect(diff.update.map((u) => [u.previous.effortHours, u.slot.effortHours])).toEqual(Array.from({ length: 10 }, () => [8, 9]));
  });

  it('updates the slots whose window moves and lists started ones with their previous state', () => {
    // The first day starts at 13:00 instead of 08:00; its effort stays.
    const later = planWorkOrders({ ...week, start: '2026-06-01T03:00:00Z' });
    const existing = asExisting(plan, (key) => ({ started: key === 'task-1:0' }));
    const diff = diffPlan(existing, later);
    expect(keys(diff)).toEqual({ ...none, update: ['task-1:0', 'task-1:1'], unchanged: all(10).slice(2) });
    expect(diff.update[0]?.previous).toEqual(existing[0]);
    expect(diff.update[0]?.slot.windowStart).toBe('2026-06-01T03:00:00Z');
  });

  it('plans a cancelled work order whose key comes back as an update (reactivated), even with the same values', () => {
    const existing = asExisting(plan, (key) => ({ cancelled: key === 'task-1:9' }));
    const diff = diffPlan(existing, plan);
    expect(keys(diff)).toEqual({ ...none, unchanged: all(9), update: ['task-1:9'] });
    expect(diff.update[0]?.previous.cancelled).toBe(true);
  });

  it('leaves alone cancelled work orders that are no longer planned', () => {
    const shorter = planWorkOrders({ ...week, end: '2026-06-04T07:00:00Z', effortHours: 64 });
    const existing = asExisting(plan, (key) => ({ cancelled: key === 'task-1:8', started: key === 'task-1:9' }));
    expect(keys(diffPlan(existing, shorter))).toEqual({ ...none, unchanged: all(8), keptStarted: ['task-1:9'] });
    const startedThenCancelled = asExisting(plan, (key) => ({ cancelled: key === 'task-1:9', started: key === 'task-1:9' }));
    expect(keys(diffPlan(startedThenCancelled, shorter))).toEqual({ ...none, unchanged: all(8), cancel: ['task-1:8'] });
  });

  it('creates everything for a first sync and lists cancellations in slot order', () => {
    expect(keys(diffPlan([], plan))).toEqual({ ...none, create: all(10) });
    const twoDays = planWorkOrders({ ...week, end: '2026-06-02T07:00:00Z', effortHours: 32 });
    const shuffled = [...asExisting(plan)].reverse();
    expect(keys(diffPlan(shuffled, twoDays)).cancel).toEqual(all(10).slice(4));
  });

  it('refuses existing work orders that share a key', () => {
    const existing = asExisting(plan);
    expect(() => diffPlan([...existing, existing[3] as (typeof existing)[number]], plan)).toThrow(PlanningError);
    expect(() => diffPlan([...existing, existing[3] as (typeof existing)[number]], plan)).toThrow(/two work orders with source key 'task-1:3'/);
  });
});
