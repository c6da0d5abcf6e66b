/**
 * Field progress end to end: signed stage deliveries → POST /api/mobility/events → field-event queue (Azurite) → the
 * real worker → booking (stage, actuals, booking status), work order status (Field Service's rule in the local
 * Dataverse), task sync and project progress roll-ups — checked against figures worked out by hand.
 */
import { bookableresourcebooking, bookingstatus, FieldStatus, msdyn_workorder, pfb_fieldevent, pfb_projectprogress, pfb_tasksync, WorkOrderSystemStatus, fieldStageChoice } from '@pfb/domain';
import type { MobilityAdapter } from '../../functions-bridge/src/services/mobility';
import { dayOf, deliver, syncAndBook, type StageEvent, type SyncedTask } from './fieldSupport';
import { acceptingMobility, eventually, registerBookingWebhooks, registerTaskSyncWebhook, startBridgeStack, type BridgeStack } from './support';

type Row = Record<string, unknown>;
let stack: BridgeStack;
let tasks: SyncedTask[];
let allSynced: SyncedTask[];
const ticketsSent: string[] = [];

const mobility: MobilityAdapter = acceptingMobility(ticketsSent);

beforeAll(async () => {
  stack = await startBridgeStack({ compose: () => ({ factories: { mobility: () => mobility }, fieldEvent: { batchWindowMs: 50, rollupIntervalMs: 200 } }) });
  await registerTaskSyncWebhook(stack.api, stack.host.url);
  await registerBookingWebhooks(stack.api, stack.host.url);
  // The first leaves of a project; the two with the most work orders (multi-day or multi-resource) are used.
  const synced = await syncAndBook(stack, 6);
  tasks = [...synced].sort((a, b) => b.workOrders.length - a.workOrders.length).slice(0, 2);
  allSynced = synced;
}, 120_000);
afterAll(() => stack?.stop());

const get = async (path: string): Promise<Row> => {
  const res = await stack.api.get(path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  return res.json<Row>();
};
const hours = (a: string, b: string): number => (Date.parse(b) - Date.parse(a)) / 3_600_000;
const round2 = (n: number): number => Math.round(n * 100) / 100;

async function settled(check: () => Promise<boolean>): Promise<void> {
  await eventually('the figures to settle', async () => ((await check()) ? true : undefined), 30_000);
}

it('moves every booking of a task through all stages and rolls the actuals up to work order, task and project', async () => {
  const task = tasks[0] as SyncedTask;
  const days = task.workOrders.map((wo, i) => dayOf(wo.bookingId, `2027-04-0${5 + (i % 3)}T22:00:00Z`, { travel: 10, onsite: 55, inProgress: 60 + i, end: 60 + i + 240 + 30 * i }));
  const all = days.flat();
  const answer = await deliver(stack, all.slice(0, 100));
  expect(answer.status).toBe(202);
  if (all.length > 100) expect((await deliver(stack, all.slice(100))).status).toBe(202);

  const last = (d: StageEvent[]): StageEvent => d[d.length - 1] as StageEvent;
  const effort = days.map((d) => hours(d[3]!.occurredAt, last(d).occurredAt));
  const totalEffort = effort.reduce((a, b) => a + b, 0);
  await settled(async () => (await get(`${pfb_tasksync.entitySetName}(${task.taskSyncId})?$select=pfb_fieldstatus`))['pfb_fieldstatus'] === FieldStatus.Completed);

  // Booking: stage, actuals, the field stage's booking status.
  for (const [i, wo] of task.workOrders.entries()) {
    const b = await get(`${bookableresourcebooking.entitySetName}(${wo.bookingId})?$select=pfb_fieldstage,pfb_actualstart,pfb_actualend,pfb_actualeffort,msdyn_actualarrivaltime,msdyn_actualtravelduration,_bookingstatus_value`);
    const day = days[i] as StageEvent[];
    expect(b['pfb_fieldstage']).toBe(fieldStageChoice('Complete'));
    expect(b['pfb_actualstart']).toBe(day[3]!.occurredAt);
    expect(b['pfb_actualend']).toBe(last(day).occurredAt);
    expect(b['pfb_actualeffort']).toBeCloseTo(effort[i] as number, 2);
    expect(b['msdyn_actualarrivaltime']).toBe(day[2]!.occurredAt);
    expect(b['msdyn_actualtravelduration']).toBe(45);
    const status = await get(`${bookingstatus.entitySetName}(${b['_bookingstatus_value'] as string})?$select=name,pfb_fieldstage,msdyn_fieldservicestatus`);
    expect(status['pfb_fieldstage']).toBe(fieldStageChoice('Complete'));
    // Work order: Field Service derives Completed from its only booking's Completed status.
    const w = await get(`${msdyn_workorder.entitySetName}(${wo.id})?$select=msdyn_systemstatus`);
    expect(w['msdyn_systemstatus']).toBe(WorkOrderSystemStatus.Completed);
  }

  // Task: Σ effort, variance against the estimate, 100 %, every work order completed.
  const t = await get(`${pfb_tasksync.entitySetName}(${task.taskSyncId})?$select=pfb_actualstart,pfb_actualend,pfb_actualeffort,pfb_effortvariance,pfb_effortvariancepct,pfb_percentcomplete,pfb_workorderscompleted,pfb_workordersincomplete,pfb_fieldstatus`);
  const starts = days.map((d) => d[3]!.occurredAt).sort();
  const ends = days.map((d) => last(d).occurredAt).sort();
  expect(t).toMatchObject({ pfb_actualstart: starts[0], pfb_actualend: ends[ends.length - 1], pfb_percentcomplete: 100, pfb_workorderscompleted: task.workOrders.length, pfb_workordersincomplete: 0 });
  expect(t['pfb_actualeffort']).toBeCloseTo(round2(totalEffort), 2);
  expect(t['pfb_effortvariance']).toBeCloseTo(round2(totalEffort - task.estimateHours), 2);
  expect(t['pfb_effortvariancepct']).toBeCloseTo(round2(((totalEffort - task.estimateHours) / task.estimateHours) * 100), 1);

  // Project: six field tasks, one complete → % = its estimate's share; 1 of 6 tasks completed.
  expect(task.workOrders.length).toBeGreaterThan(1);
  const estimates = allSynced.reduce((a, x) => a + x.estimateHours, 0);
  const p = (await stack.api.get(`${pfb_projectprogress.entitySetName}?$filter=_pfb_project_value eq ${task.projectId}`)).json<{ value: Row[] }>().value[0] as Row;
  expect(p).toMatchObject({ pfb_taskscompleted: 1, pfb_taskstotal: allSynced.length, pfb_actualstart: starts[0], pfb_actualend: null });
  expect(p['pfb_percentcomplete']).toBeCloseTo(round2((task.estimateHours * 100) / estimates), 1);
  expect(p['pfb_actualeffort']).toBeCloseTo(round2(totalEffort), 2);
  expect(p['pfb_estimatedeffort']).toBeCloseTo(estimates, 2);
  expect(p['pfb_effortvariance']).toBeCloseTo(round2(totalEffort - estimates), 2);
  expect(p['pfb_lastfieldupdate']).toBe(ends[ends.length - 1]);

  // Every event recorded once, Applied; the bridge's own booking updates were not sent back to the app.
  const recorded = (await stack.api.get(`${pfb_fieldevent.entitySetName}?$select=pfb_eventid,pfb_outcome&$filter=Microsoft.Dynamics.CRM.In(PropertyName='pfb_booking',PropertyValues=[${task.workOrders.map((w) => `'${w.bookingId}'`).join(',')}])`)).json<{ value: Row[] }>().value;
  expect(recorded).toHaveLength(all.length);
  expect(ticketsSent.filter((id) => task.workOrders.some((w) => w.bookingId === id)).length).toBe(task.workOrders.length);
  // The booking webhook fired for the bridge's own status changes and queued nothing: no Update dispatch of these bookings.
  expect(stack.lines.filter((l) => task.workOrders.some((w) => l.message.startsWith(`queued booking dispatch ${w.bookingId} (Update`)))).toEqual([]);
  expect(stack.exceptions()).toEqual([]);
});

it('an Incomplete visit keeps its work order open and counts as incomplete on the task', async () => {
  const task = tasks[1] as SyncedTask;
  const [first, ...rest] = task.workOrders;
  const events = [
    ...dayOf(first!.bookingId, '2027-04-08T22:00:00Z', { travel: 5, onsite: 40, inProgress: 45, end: 165 }, 'Incomplete'),
    ...rest.flatMap((wo) => dayOf(wo.bookingId, '2027-04-08T22:00:00Z', { travel: 5, onsite: 40, inProgress: 45, end: 285 })),
  ];
  // Delivered newest first: order of arrival must not matter.
  expect((await deliver(stack, events.reverse())).status).toBe(202);
  await settled(async () => {
    const t = await get(`${pfb_tasksync.entitySetName}(${task.taskSyncId})?$select=pfb_workordersincomplete,pfb_workorderscompleted`);
    return t['pfb_workordersincomplete'] === 1 && t['pfb_workorderscompleted'] === rest.length;
  });
  const w = await get(`${msdyn_workorder.entitySetName}(${first!.id})?$select=msdyn_systemstatus`);
  expect(w['msdyn_systemstatus']).toBe(WorkOrderSystemStatus.InProgress);
  const b = await get(`${bookableresourcebooking.entitySetName}(${first!.bookingId})?$select=pfb_fieldstage,pfb_incompletereason,pfb_actualeffort`);
  expect(b).toMatchObject({ pfb_fieldstage: fieldStageChoice('Incomplete'), pfb_incompletereason: 'Tower access road flooded', pfb_actualeffort: 2 });
  const planned = task.workOrders.reduce((a, w2) => a + w2.plannedEffortHours, 0);
  const done = rest.reduce((a, w2) => a + w2.plannedEffortHours, 0);
  const t = await get(`${pfb_tasksync.entitySetName}(${task.taskSyncId})?$select=pfb_percentcomplete,pfb_fieldstatus,pfb_actualeffort`);
  expect(t['pfb_percentcomplete']).toBeCloseTo(round2((done * 100) / planned), 1);
  expect(t['pfb_fieldstatus']).toBe(FieldStatus.Incomplete);
  expect(t['pfb_actualeffort']).toBeCloseTo(2 + rest.length * 4, 2);
});
