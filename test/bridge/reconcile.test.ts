/**
 * The reconcile timer: task sync rows whose webhook never reached the bridge (the bridge down, its storage away: a
 * webhook gets one attempt, and one more only for 502/503/504) or left Syncing by a lost message are queued again
 * once they are older than RECONCILE_AFTER_SECONDS, and then synced; fresh rows and finished rows are left alone.
 */
import { msdyn_projecttask, pfb_tasksync, SyncStatus } from '@pfb/domain';
import { TELECOM_INVALID_TASKS } from '../../sandbox/dataverse/src/seed/telecom';
import { eventually, noMobility, startBridgeStack, type BridgeStack } from './support';

type Row = Record<string, unknown>;
let stack: BridgeStack;

beforeAll(async () => {
  // No webhook step is registered: every row below is one whose webhook was lost.
  stack = await startBridgeStack({
    env: { RECONCILE_AFTER_SECONDS: '2', QUEUE_RETRY_SECONDS: '1', QUEUE_MAX_DEQUEUE_COUNT: '1' },
    compose: () => ({ factories: { mobility: () => noMobility } }),
    timers: false,
  });
}, 60_000);
afterAll(() => stack?.stop());

const statusOf = async (id: string): Promise<number> => (await stack.api.get(`${pfb_tasksync.entitySetName}(${id})?$select=pfb_syncstatus`)).json<Row>()['pfb_syncstatus'] as number;
const reconcileLines = (): string[] => stack.lines.filter((l) => l.message.startsWith('reconcile:')).map((l) => l.message);

it('queues again the rows whose webhook was lost or whose message died with a worker, once they are old enough', async () => {
  const invalid = new Set<string>(Object.values(TELECOM_INVALID_TASKS).map((t) => t.id));
  const tasks = (await stack.api.get(`${msdyn_projecttask.entitySetName}?$select=msdyn_subject,_msdyn_project_value&$filter=msdyn_summary eq false&$orderby=msdyn_displaysequence`))
    .json<{ value: Row[] }>()
    .value.filter((t) => !invalid.has(t['msdyn_projecttaskid'] as string))
    .slice(0, 4);
  const ids: string[] = [];
  for (const [i, t] of tasks.entries()) {
    const res = await stack.api.post(pfb_tasksync.entitySetName, {
      pfb_name: t['msdyn_subject'],
      'pfb_projecttask@odata.bind': `/${msdyn_projecttask.entitySetName}(${t['msdyn_projecttaskid'] as string})`,
      'pfb_project@odata.bind': `/msdyn_projects(${t['_msdyn_project_value'] as string})`,
      // The last one as a crashed worker left it: marked Syncing, its message gone.
      pfb_syncstatus: i === 3 ? SyncStatus.Syncing : SyncStatus.ReadyToSync,
    });
    expect(res.status).toBe(204);
    ids.push(/\(([0-9a-f-]{36})\)$/.exec(res.headers.get('odata-entityid') ?? '')?.[1] as string);
  }

  // Too fresh: their webhook may still be on its way.
  await stack.host.runTimer('reconcile');
  expect(reconcileLines().at(-1)).toBe('reconcile: no stranded task sync rows');

  await new Promise((r) => setTimeout(r, 2500));
  await stack.host.runTimer('reconcile');
  expect(reconcileLines().at(-1)).toMatch(/^reconcile: queued 4 task sync row\(s\) again — 3 Ready to Sync whose webhook never arrived, 1 left Syncing by a lost message/);
  for (const id of ids) await eventually(`task sync ${id} Synced`, async () => (await statusOf(id)) === SyncStatus.Synced || undefined);

  // Done rows are not queued again.
  await new Promise((r) => setTimeout(r, 2500));
  await stack.host.runTimer('reconcile');
  expect(reconcileLines().at(-1)).toBe('reconcile: no stranded task sync rows');
  expect(stack.exceptions()).toEqual([]);
}, 60_000);

it('refuses a schedule the local host cannot run at a fixed interval, before it starts anything', async () => {
  await expect(startBridgeStack({ env: { RECONCILE_SCHEDULE: '0 30 9 * * 1-5' }, compose: () => ({ factories: { mobility: () => noMobility } }) })).rejects.toThrow(/fixed intervals/);
}, 60_000);
