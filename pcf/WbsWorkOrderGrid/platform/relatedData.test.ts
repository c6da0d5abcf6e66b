import { createFormatter } from '../../shared/format';
import { bookableresourcebooking, msdyn_resourceassignment, msdyn_workorder, pfb_tasksync, SyncStatus } from '../../shared/schemaNames';
import { FakeWebApi } from '../../testing/fakeWebApi';
import { guid, largeWbs, projectIdOf, SMALL_WBS, smallProjectRelated, taskRows } from '../../testing/fixtures';
import { createRelatedDataLoader, TASK_ID_MODE_LIMIT } from './relatedData';

const fmt = createFormatter('en-US', 'UTC');
const tasks = taskRows(SMALL_WBS);
const leafIds = tasks.filter((t) => t.values['msdyn_summary'] === false).map((t) => t.id);
const idOf = (name: string): string => tasks.find((t) => t.values['msdyn_subject'] === name)?.id as string;

describe('related data of the grid', () => {
  it('reads task syncs, work orders, roles and bookings of a project in four requests', async () => {
    const api = new FakeWebApi(smallProjectRelated(tasks));
    const result = await createRelatedDataLoader(api, fmt)({ taskIds: leafIds, projectIds: [projectIdOf('A')] });
    expect(result.requests).toBe(4);
    expect(api.requests().map((c) => c.entityType).sort()).toEqual(
      [bookableresourcebooking.logicalName, msdyn_resourceassignment.logicalName, msdyn_workorder.logicalName, pfb_tasksync.logicalName].sort(),
    );
    // Only the shown columns; tasks by id in one In(...) filter.
    const syncCall = api.requests(pfb_tasksync.logicalName)[0]?.options ?? '';
    expect(syncCall).toMatch(/^\?\$select=pfb_tasksyncid,_pfb_projecttask_value,pfb_syncstatus,/);
    expect(syncCall).toContain(`Microsoft.Dynamics.CRM.In(PropertyName='pfb_projecttask',PropertyValues=['${leafIds.join("','")}'])`);

    const { syncs, workOrders, roles } = result.data;
    expect(syncs.get(idOf('Site survey'))).toMatchObject({ syncStatus: SyncStatus.Synced, syncStatusLabel: 'Synced', actualEffort: 9, plannedEffort: 8, effortVariance: 1, percentComplete: 100 });
    expect(syncs.get(idOf('Install antenna'))?.lastError).toMatch(/Tower Rigger/);
    expect(syncs.has(idOf('RF sweep test'))).toBe(false);
    // Booked resources per work order, cancelled bookings left out.
    expect(workOrders.get(idOf('Civil works'))?.map((w) => [w.name, w.systemStatusLabel, w.resources])).toEqual([
      ['WO-00002', 'Completed', ['Ben Ortiz']],
      ['WO-00003', 'In Progress', ['Cleo Park']],
    ]);
    expect(workOrders.get(idOf('Civil works'))?.[0]?.windowStart).toBe('3/2/2027 9:00 PM');
    expect(roles.get(idOf('Civil works'))).toEqual([{ role: 'Civil Crew', count: 2 }]);
    expect(roles.get(idOf('Install antenna'))).toEqual([
      { role: 'Tower Rigger', count: 1 },
      { role: 'RF Technician', count: 1 },
    ]);
  });

  it('splits task ids into In(...) filters of at most 150 ids', async () => {
    const many = Array.from({ length: 400 }, (_, i) => guid('task', i + 1));
    const api = new FakeWebApi();
    const result = await createRelatedDataLoader(api, fmt)({ taskIds: many, projectIds: [projectIdOf('A')] });
    const syncCalls = api.requests(pfb_tasksync.logicalName);
    expect(syncCalls).toHaveLength(3);
    for (const c of syncCalls) expect((c.options?.match(/'[0-9a-f-]{36}'/g) ?? []).length).toBeLessThanOrEqual(150);
    // No work orders: no booking read.
    expect(api.requests(bookableresourcebooking.logicalName)).toHaveLength(0);
    expect(result.requests).toBe(9);
  });

  it('reads by project above the task-id limit, and says which projects are covered', async () => {
    const big = largeWbs(TASK_ID_MODE_LIMIT + 50);
    const ids = big.filter((t) => t.values['msdyn_summary'] === false).map((t) => t.id);
    const api = new FakeWebApi(smallProjectRelated(tasks));
    const result = await createRelatedDataLoader(api, fmt)({ taskIds: ids, projectIds: [projectIdOf('A')] });
    expect(result.coveredProjects).toEqual([projectIdOf('A')]);
    expect(api.requests(pfb_tasksync.logicalName)[0]?.options).toContain(`PropertyName='pfb_project'`);
    expect(result.requests).toBe(4);
    // Rows of the project's tasks are all kept (the later pages' tasks are covered too).
    expect(result.data.syncs.size).toBe(3);
  });

  it('fails with the Web API error, so the grid can show it', async () => {
    const api = new FakeWebApi();
    api.failWith = new Error('Principal user is missing prvReadpfb_tasksync privilege');
    await expect(createRelatedDataLoader(api, fmt)({ taskIds: leafIds, projectIds: [] })).rejects.toThrow(/prvReadpfb_tasksync/);
  });
});
