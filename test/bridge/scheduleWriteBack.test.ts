/**
 * The optional schedule write-back against the local Dataverse's Project schedule APIs: field % complete reaches the
 * project task's msdyn_progress (0–1) through an operation set, as a licensed user; the bridge's application user is
 * refused by those APIs, so the write-back uses its own identity.
 */
import { dayOf, deliver, syncAndBook } from './fieldSupport';
import { eventually, noMobility, registerTaskSyncWebhook, startBridgeStack, type BridgeStack } from './support';

let stack: BridgeStack;

beforeAll(async () => {
  stack = await startBridgeStack({
    // Any token that is not the app's resolves to the sandbox's licensed user.
    env: { SCHEDULE_WRITEBACK: 'on', SCHEDULE_WRITEBACK_AUTH: 'static', SCHEDULE_WRITEBACK_STATIC_TOKEN: 'project-licensed-service-user', SCHEDULE_WRITEBACK_INTERVAL_SECONDS: '1' },
    compose: () => ({ factories: { mobility: () => noMobility }, fieldEvent: { batchWindowMs: 20, rollupIntervalMs: 100, writeBackPollMs: 100 } }),
  });
  await registerTaskSyncWebhook(stack.api, stack.host.url);
}, 60_000);
afterAll(() => stack?.stop());

it('writes each completed task’s progress to the schedule through an executed operation set', async () => {
  const [task] = await syncAndBook(stack, 1);
  if (!task) throw new Error('no task synced');
  const before = (await stack.api.get(`msdyn_projecttasks(${task.taskId})?$select=msdyn_progress`)).json<Record<string, unknown>>();
  expect(before['msdyn_progress'] ?? 0).toBe(0);
  const events = task.workOrders.flatMap((wo) => dayOf(wo.bookingId, '2027-07-01T22:00:00Z', { travel: 10, onsite: 40, inProgress: 50, end: 290 }));
  for (let i = 0; i < events.length; i += 100) expect((await deliver(stack, events.slice(i, i + 100))).status).toBe(202);
  await eventually(
    'msdyn_progress = 1 on the project task',
    async () => {
      await stack.dv.idle();
      const t = (await stack.api.get(`msdyn_projecttasks(${task.taskId})?$select=msdyn_progress`)).json<Record<string, unknown>>();
      return t['msdyn_progress'] === 1 ? t : undefined;
    },
    30_000,
  );
  const sets = (await stack.api.get(`msdyn_operationsets?$select=msdyn_status,msdyn_description&$filter=_msdyn_project_value eq ${task.projectId}`)).json<{ value: Array<Record<string, unknown>> }>().value;
  expect(sets.some((s) => String(s['msdyn_description']).startsWith('Project Field Bridge: field progress'))).toBe(true);
  expect(stack.exceptions()).toEqual([]);
});
