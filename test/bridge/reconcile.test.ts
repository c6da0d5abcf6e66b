/**
 * The reconcile timer: task sync rows whose webhook never reached the bridge (the bridge down, its storage away: a
 * webhook gets one attempt, and one more only for 502/503/504) or left Syncing by a lost message, and bookings of
 * the bridge's work orders never dispatched, are queued again once older than RECONCILE_AFTER_SECONDS, then synced
 * and dispatched; fresh rows, finished rows and other bookings are left alone.
 */
import { bookableresource, bookableresourcebooking, DispatchStatus, msdyn_projecttask, msdyn_workorder, pfb_tasksync, SyncStatus } from '@pfb/domain';
import { BOOKING_STATUS_IDS } from '@pfb/sandbox';
import { TELECOM_INVALID_TASKS } from '../../sandbox/dataverse/src/seed/telecom';
import { acceptingMobility, eventually, noMobility, startBridgeStack, type BridgeStack } from './support';

type Row = Record<string, unknown>;
let stack: BridgeStack;
const sent: string[] = [];

beforeAll(async () => {
  // No webhook step is registered: every row below is one whose webhook was lost.
  stack = await startBridgeStack({
    env: { RECONCILE_AFTER_SECONDS: '2', QUEUE_RETRY_SECONDS: '1', QUEUE_MAX_DEQUEUE_COUNT: '1' },
    compose: () => ({ factories: { mobility: () => acceptingMobility(sent) } }),
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
  expect(reconcileLines().at(-1)).toBe('reconcile: nothing stranded');

  await new Promise((r) => setTimeout(r, 2500));
  await stack.host.runTimer('reconcile');
  expect(reconcileLines().at(-1)).toMatch(/^reconcile: queued 4 item\(s\) again — 3 task sync row\(s\) Ready to Sync whose webhook never arrived, 1 left Syncing by a lost message, 0 booking\(s\) never dispatched/);
  for (const id of ids) await eventually(`task sync ${id} Synced`, async () => (await statusOf(id)) === SyncStatus.Synced || undefined);

  // Done rows are not queued again.
  await new Promise((r) => setTimeout(r, 2500));
  await stack.host.runTimer('reconcile');
  expect(reconcileLines().at(-1)).toBe('reconcile: nothing stranded');

  // A dispatcher books one of the new work orders; no booking step is registered, so its Create webhook is lost.
  const workOrder = (await stack.api.get(`${msdyn_workorder.entitySetName}?$select=msdyn_name&$filter=_pfb_tasksync_value eq ${ids[0] as string}&$top=1`)).json<{ value: Row[] }>().value[0] as Row;
  const technician = (await stack.api.get(`${bookableresource.entitySetName}?$select=name&$filter=pfb_mobilityuserid ne null&$top=1`)).json<{ value: Row[] }>().value[0] as Row;
  const created = await stack.api.post(
    bookableresourcebooking.entitySetName,
    {
      name: 'Lost webhook visit',
      starttime: '2027-04-05T22:00:00Z',
      endtime: '2027-04-06T02:00:00Z',
      'Resource@odata.bind': `/${bookableresource.entitySetName}(${technician['bookableresourceid'] as string})`,
      'BookingStatus@odata.bind': `/bookingstatuses(${BOOKING_STATUS_IDS.Scheduled})`,
      'msdyn_workorder@odata.bind': `/${msdyn_workorder.entitySetName}(${workOrder['msdyn_workorderid'] as string})`,
    },
    { Prefer: 'return=representation' },
  );
  expect(created.status).toBe(201);
  const bookingId = created.json<Row>()['bookableresourcebookingid'] as string;
  await stack.host.runTimer('reconcile');
  expect(reconcileLines().at(-1)).toBe('reconcile: nothing stranded');
  await new Promise((r) => setTimeout(r, 2500));
  await stack.host.runTimer('reconcile');
  expect(reconcileLines().at(-1)).toMatch(/^reconcile: queued 1 item\(s\) again — .* 1 booking\(s\) never dispatched/);
  await eventually('the booking dispatched', async () => {
    const b = (await stack.api.get(`${bookableresourcebooking.entitySetName}(${bookingId})?$select=pfb_dispatchstatus`)).json<Row>();
    return b['pfb_dispatchstatus'] === DispatchStatus.Sent || undefined;
  });
  expect(sent).toEqual([bookingId]);
  expect(stack.exceptions()).toEqual([]);
}, 60_000);

it('refuses a schedule the local host cannot run at a fixed interval, before it starts anything', async () => {
  await expect(startBridgeStack({ env: { RECONCILE_SCHEDULE: '0 30 9 * * 1-5' }, compose: () => ({ factories: { mobility: () => noMobility } }) })).rejects.toThrow(/fixed intervals/);
}, 60_000);
