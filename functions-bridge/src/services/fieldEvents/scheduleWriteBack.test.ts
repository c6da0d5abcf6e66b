import { OperationSetStatus } from '@pfb/domain';
import type { DataverseClient } from '../dataverse/dataverseClient';
import { MAX_OPERATIONS_PER_SET, ScheduleWriteBack } from './scheduleWriteBack';

/** A schedule API that records calls; sets complete when `apply` is called. */
function fakeScheduleApi() {
  const sets = new Map<string, { project: string; updates: Array<Record<string, unknown>>; status: number }>();
  let n = 0;
  const client = {
    action: async (name: string, data: Record<string, unknown>) => {
      if (name === 'msdyn_CreateOperationSetV1') {
        n += 1;
        const id = `set-${n}`;
        if ([...sets.values()].filter((s) => s.status === OperationSetStatus.Open).length >= 10) throw new Error('10 open sets');
        sets.set(id, { project: data['ProjectId'] as string, updates: [], status: OperationSetStatus.Open });
        return { OperationSetId: id };
      }
      const set = sets.get(data['OperationSetId'] as string);
      if (!set) throw new Error('no such set');
      if (name === 'msdyn_PssUpdateV1') {
        if (set.updates.length >= 200) throw new Error('more than 200 operations');
        set.updates.push(data['Entity'] as Record<string, unknown>);
      } else if (name === 'msdyn_ExecuteOperationSetV1') set.status = OperationSetStatus.Pending;
      return {};
    },
    // The scheduling service applies an executed set by the time it is polled: the next outcome in line.
    retrieve: async (_set: string, id: string) => {
      const set = sets.get(id);
      if (set?.status === OperationSetStatus.Pending) set.status = outcomes.shift() ?? OperationSetStatus.Completed;
      return { msdyn_status: set?.status };
    },
  } as unknown as DataverseClient;
  const outcomes: number[] = [];
  return { client, sets, outcomes };
}

const log = (): void => undefined;

it('sends at most 200 operations per set, one set per project at a time, only the latest value of each task', async () => {
  const api = fakeScheduleApi();
  const wb = new ScheduleWriteBack({ client: api.client, intervalMs: 60_000, pollMs: 1, log });
  for (let i = 0; i < 250; i += 1) wb.note('p1', `t${i}`, 10);
  wb.note('p1', 't0', 55.5);
  wb.note('p2', 'x', 100);
  await wb.flush();
  const sets = [...api.sets.values()];
  expect(sets.filter((s) => s.project === 'p1')[0]?.updates).toHaveLength(MAX_OPERATIONS_PER_SET);
  expect(sets.find((s) => s.project === 'p2')?.updates).toEqual([{ '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_projecttask', msdyn_projecttaskid: 'x', msdyn_progress: 1 }]);
  expect(sets.filter((s) => s.project === 'p1')[0]?.updates[0]).toMatchObject({ msdyn_projecttaskid: 't0', msdyn_progress: 0.555 });
  // The 50 left over went in the next set of p1, after the first was applied.
  await wb.flush();
  expect([...api.sets.values()].filter((s) => s.project === 'p1').map((s) => s.updates.length)).toEqual([200, 50]);
  await wb.close();
});

it('sends a failed set’s updates again', async () => {
  const api = fakeScheduleApi();
  const wb = new ScheduleWriteBack({ client: api.client, intervalMs: 60_000, pollMs: 1, log });
  api.outcomes.push(OperationSetStatus.Failed);
  wb.note('p1', 't1', 40);
  await wb.flush();
  await wb.flush();
  expect([...api.sets.values()].map((s) => s.updates.map((u) => u['msdyn_progress']))).toEqual([[0.4], [0.4]]);
  await wb.close();
});
