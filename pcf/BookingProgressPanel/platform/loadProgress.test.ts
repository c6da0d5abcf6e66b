import { createFormatter } from '../../shared/format';
import { bookableresourcebooking, msdyn_workorder, pfb_fieldevent, pfb_projectprogress, pfb_tasksync } from '../../shared/schemaNames';
import { FakeWebApi } from '../../testing/fakeWebApi';
import { booking, fieldEvent, guid, projectIdOf, projectProgress, SMALL_WBS, smallProjectRelated, taskRows } from '../../testing/fixtures';
import { createProgressLoader, scopeOf } from './loadProgress';

const fmt = createFormatter('en-US', 'UTC');
const limits = { maxBookings: 20, maxEvents: 10 };
const tasks = taskRows(SMALL_WBS);

function api(): FakeWebApi {
  const related = smallProjectRelated(tasks);
  const b3 = guid('booking', 3);
  const b1 = guid('booking', 1);
  return new FakeWebApi({
    ...related,
    [pfb_fieldevent.logicalName]: [
      fieldEvent(1, b1, 'Acknowledged', '2027-03-02T21:00:00Z'),
      fieldEvent(2, b1, 'Travel', '2027-03-02T21:30:00Z'),
      fieldEvent(3, b1, 'Onsite', '2027-03-02T22:00:00Z'),
      fieldEvent(4, b1, 'InProgress', '2027-03-02T22:10:00Z'),
      fieldEvent(5, b1, 'Complete', '2027-03-03T07:10:00Z'),
      fieldEvent(6, b1, 'Complete', '2027-03-03T07:10:00Z', 'Duplicate', 5),
      fieldEvent(7, b3, 'Acknowledged', '2027-03-03T21:00:00Z'),
      fieldEvent(8, b3, 'Onsite', '2027-03-03T22:40:00Z'),
    ],
    [pfb_projectprogress.logicalName]: [projectProgress(projectIdOf('A'), { pct: 37.5, done: 1, total: 3, actual: 16, estimate: 56, start: '2027-03-02T22:10:00Z', last: '2027-03-03T22:40:00Z' })],
  });
}

describe('progress loader', () => {
  it('picks its scope from the form table', () => {
    expect(scopeOf('msdyn_workorder', 'x')).toEqual({ kind: 'workorder', id: 'x' });
    expect(scopeOf('pfb_tasksync', 'x')?.kind).toBe('tasksync');
    expect(scopeOf('msdyn_projecttask', 'x')?.kind).toBe('task');
    expect(scopeOf('msdyn_project', 'x')?.kind).toBe('project');
    expect(scopeOf('account', 'x')).toBeNull();
    expect(scopeOf('msdyn_project', null)).toBeNull();
  });

  it('work order: three requests; bookings with steppers, cancelled ones out of the counts', async () => {
    const web = api();
    const view = await createProgressLoader(web, fmt, limits)({ kind: 'workorder', id: guid('workorder', 3) });
    expect(web.requests().map((c) => c.entityType)).toEqual([msdyn_workorder.logicalName, bookableresourcebooking.logicalName, pfb_fieldevent.logicalName]);
    expect(view.title).toBe('WO-00003');
    expect(view.bookings.map((b) => [b.technician, b.stage])).toEqual([
      ['Cleo Park', 'Onsite'],
      ['Dan Cancelled', null],
    ]);
    expect(view.summary).toMatchObject({ countKind: 'bookings', completed: 0, total: 1, percentComplete: 0, estimatedEffort: 8, statusLabel: 'In Progress' });
    const cleo = view.bookings[0];
    expect(cleo?.steps.map((s) => s.state)).toEqual(['done', 'passed', 'current', 'upcoming', 'upcoming']);
    expect(cleo?.steps[2]?.at).toBe('3/3/27, 10:40 PM');
    expect(cleo?.plannedEffort).toBe(8);
  });

  it('task sync: the roll-up row, bookings through the work order lookup path, and recent events newest first', async () => {
    const web = api();
    const taskSyncId = guid('tasksync', 1);
    const view = await createProgressLoader(web, fmt, { maxBookings: 20, maxEvents: 3 })({ kind: 'tasksync', id: taskSyncId });
    expect(web.requests()).toHaveLength(3);
    expect(web.requests(bookableresourcebooking.logicalName)[0]?.options).toContain(`$filter=msdyn_workorder/_pfb_tasksync_value eq ${taskSyncId}`);
    expect(view.summary).toMatchObject({ countKind: 'workorders', completed: 1, total: 1, percentComplete: 100, actualEffort: 9, estimatedEffort: 8, variance: 1, variancePct: 12.5, statusLabel: 'Completed' });
    expect(view.bookings).toHaveLength(1);
    expect(view.bookings[0]?.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'current']);
    expect(view.events.map((e) => [e.stageLabel, e.outcomeLabel])).toEqual([
      ['Complete', 'Applied'],
      ['Complete', 'Duplicate'],
      ['In Progress', 'Applied'],
    ]);
  });

  it('project task: finds its task sync, or says the task is not in the field', async () => {
    const web = api();
    const load = createProgressLoader(web, fmt, limits);
    const synced = await load({ kind: 'task', id: tasks[1]?.id as string });
    expect(synced.notInField).toBe(false);
    expect(synced.summary?.percentComplete).toBe(100);
    const notSynced = await load({ kind: 'task', id: tasks[5]?.id as string });
    expect(notSynced).toMatchObject({ notInField: true, bookings: [], summary: null });
    expect(web.requests(pfb_tasksync.logicalName)[1]?.options).toContain(`_pfb_projecttask_value eq ${tasks[5]?.id}`);
  });

  it('project: the progress roll-up and the most recently active bookings, limited', async () => {
    const web = api();
    const view = await createProgressLoader(web, fmt, { maxBookings: 2, maxEvents: 10 })({ kind: 'project', id: projectIdOf('A') });
    expect(web.requests()).toHaveLength(3);
    const bookingsCall = web.requests(bookableresourcebooking.logicalName)[0];
    expect(bookingsCall?.options).toContain(`msdyn_workorder/_pfb_project_value eq ${projectIdOf('A')} and pfb_fieldstage ne null`);
    expect(bookingsCall?.options).toContain('$top=3');
    expect(bookingsCall?.maxPageSize).toBeUndefined();
    expect(view.bookings).toHaveLength(2);
    expect(view.bookingsLimited).toBe(true);
    expect(view.summary).toMatchObject({ countKind: 'tasks', completed: 1, total: 3, percentComplete: 37.5, variance: -40, actualStart: '3/2/27, 10:10 PM' });
  });

  it('keeps cancelled bookings out of a work order with only that booking', async () => {
    const web = new FakeWebApi({
      ...smallProjectRelated(tasks),
      [bookableresourcebooking.logicalName]: [booking({ n: 9, workOrderId: guid('workorder', 3), workOrderName: 'WO-00003', technician: 'X', status: 'canceled' })],
    });
    const view = await createProgressLoader(web, fmt, limits)({ kind: 'workorder', id: guid('workorder', 3) });
    expect(view.summary).toMatchObject({ completed: 0, total: 0, percentComplete: null });
  });
});
