/**
 * syncTasks against a real local Dataverse seeded with the telecom program, with Dataverse's real service protection
 * limits: work orders per task as the planner plans them, linked and filled in; requirements set; rows Synced with
 * the plan's figures; invalid tasks Failed with the domain's message; a second run writes no work orders; a changed
 * task gets its diff without ever cancelling started work; a Cancelled row cancels what has not started; a refused
 * write is isolated to its task.
 */
import { randomUUID } from 'node:crypto';
import {
  FieldStatus,
  SyncStatus,
  WorkOrderSystemStatus,
  formatValidationIssue,
  validateTasks,
} from '@pfb/domain';
import { BOOKING_STATUS_IDS, REAL_LIMITS, startDataverse, type Attributes, type RunningDataverse } from '@pfb/sandbox';
import { TELECOM_INVALID_TASKS, TELECOM_PROJECT_IDS } from '../../../../sandbox/dataverse/src/seed/telecom';
import type { DataverseClient } from '../dataverse/dataverseClient';
import type { TaskSyncOutcome } from './outcome';
import { syncTasks } from './syncTasks';
import {
  clientFor,
  expectedPlan,
  leafTaskIds,
  markReadyToSync,
  refOf,
  requirementsOf,
  sameInstant,
  setSyncStatus,
  taskIdByName,
  workOrdersOfTask,
} from './testSupport';

const settings = { PLANNING_POLICY: 'perDay' as const };
const INVALID_IDS: ReadonlySet<string> = new Set(Object.values(TELECOM_INVALID_TASKS).map((t) => t.id));

let dv: RunningDataverse;
let client: DataverseClient;
/** Task id → pfb_tasksync id, for every telecom leaf task. */
let rowOf: Map<string, string>;
let first: Map<string, TaskSyncOutcome>;
let firstRunRequests: number;

const row = (taskId: string): Attributes => dv.dataverse.store.get('pfb_tasksync', rowOf.get(taskId) as string) as Attributes;
const sync = (taskIds: readonly string[]): Promise<Map<string, TaskSyncOutcome>> => syncTasks(taskIds.map((t) => rowOf.get(t) as string), { dataverse: client, settings });
const countWorkOrders = (): number => dv.dataverse.store.count('msdyn_workorder', '', []);

beforeAll(async () => {
  dv = await startDataverse({ seed: 'telecom', limits: REAL_LIMITS });
  client = clientFor(dv);
  rowOf = await markReadyToSync(client, dv, leafTaskIds(dv));
  const before = dv.server.stats.total;
  first = await sync([...rowOf.keys()]);
  firstRunRequests = dv.server.stats.total - before;
});
afterAll(() => dv.close());

describe('syncing the telecom program', () => {
  it('creates the planned work orders of every valid task, linked to project, task and task sync, with the project\'s accounts and the role\'s type', () => {
    const valid = [...rowOf.keys()].filter((t) => !INVALID_IDS.has(t));
    expect(valid).toHaveLength(40);
    let total = 0;
    for (const taskId of valid) {
      const plan = expectedPlan(dv, taskId);
      const task = dv.dataverse.store.get('msdyn_projecttask', taskId) as Attributes;
      const project = dv.dataverse.store.get('msdyn_project', refOf(task['msdyn_project']) as string) as Attributes;
      const workOrders = workOrdersOfTask(dv, taskId);
      expect([task['msdyn_subject'], workOrders.length]).toEqual([task['msdyn_subject'], plan.slots.length]);
      total += plan.slots.length;
      for (const [i, slot] of plan.slots.entries()) {
        const wo = workOrders[i] as Attributes;
        const role = dv.dataverse.store.get('bookableresourcecategory', slot.roleId) as Attributes;
        expect(wo['pfb_sourcekey']).toBe(slot.key);
        expect(wo['pfb_slotindex']).toBe(slot.slotIndex);
        expect(wo['pfb_plannedeffort']).toBe(slot.effortHours);
        expect(refOf(wo['pfb_project'])).toBe(refOf(task['msdyn_project']));
        expect(refOf(wo['pfb_tasksync'])).toBe(rowOf.get(taskId));
        expect(refOf(wo['msdyn_serviceaccount'])).toBe(refOf(project['pfb_serviceaccount']));
        expect(refOf(wo['msdyn_pricelist'])).toBe(refOf(project['pfb_pricelist']));
        expect(refOf(wo['msdyn_workordertype'])).toBe(refOf(role['pfb_workordertype']));
        expect(sameInstant(wo['msdyn_timefrompromised'], slot.windowStart) && sameInstant(wo['msdyn_timetopromised'], slot.windowEnd)).toBe(true);
        expect(wo['msdyn_systemstatus']).toBe(WorkOrderSystemStatus.Unscheduled);
        expect(wo['msdyn_name']).toMatch(/^\d{5}$/); // Field Service's numbering, not ours
        expect(String(wo['msdyn_workordersummary'])).toContain(String(task['msdyn_subject']));
      }
    }
    expect(countWorkOrders()).toBe(total);
  });

  it('sets each work order\'s requirement to the slot\'s role, planned minutes and window', () => {
    const taskId = taskIdByName(dv, TELECOM_PROJECT_IDS['new-england'] as string, 'Install 5G AAU & RRU');
    const plan = expectedPlan(dv, taskId);
    expect(new Set(plan.slots.map((s) => s.roleName))).toEqual(new Set(['Tower Rigger', 'RF Technician']));
    for (const [i, wo] of workOrdersOfTask(dv, taskId).entries()) {
      const slot = plan.slots[i] as (typeof plan.slots)[number];
      const [req, ...others] = requirementsOf(dv, wo['msdyn_workorderid'] as string);
      expect(others).toHaveLength(0);
      expect(refOf(req?.['msdyn_resourcecategory'])).toBe(slot.roleId);
      expect(req?.['msdyn_duration']).toBe(Math.round(slot.effortHours * 60));
      expect(sameInstant(req?.['msdyn_fromdate'], slot.windowStart) && sameInstant(req?.['msdyn_todate'], slot.windowEnd)).toBe(true);
    }
  });

  it('marks every valid row Synced with the plan\'s figures', () => {
    for (const taskId of [...rowOf.keys()].filter((t) => !INVALID_IDS.has(t))) {
      const plan = expectedPlan(dv, taskId);
      expect(row(taskId)).toMatchObject({
        pfb_syncstatus: SyncStatus.Synced,
        pfb_attempts: 1,
        pfb_scenario: plan.scenario,
        pfb_plannedworkorders: plan.slots.length,
        pfb_plannedeffort: plan.plannedEffortHours,
        pfb_planfingerprint: plan.fingerprint,
        pfb_lasterror: null,
        pfb_fieldstatus: FieldStatus.NotStarted,
      });
      expect(sameInstant(row(taskId)['pfb_plannedstart'], plan.plannedStart) && sameInstant(row(taskId)['pfb_plannedend'], plan.plannedEnd)).toBe(true);
      expect(row(taskId)['pfb_lastsyncedon']).toEqual(expect.any(String));
      expect(first.get(rowOf.get(taskId) as string)).toMatchObject({ kind: 'synced', plannedWorkOrders: plan.slots.length, workOrders: { created: plan.slots.length } });
    }
  });

  it('fails the invalid tasks with the domain\'s message and creates nothing for them', () => {
    for (const invalid of Object.values(TELECOM_INVALID_TASKS)) {
      const r = row(invalid.id);
      expect(r['pfb_syncstatus']).toBe(SyncStatus.Failed);
      expect(r['pfb_lasterror']).toContain(`“${invalid.subject}”`);
      expect(workOrdersOfTask(dv, invalid.id)).toHaveLength(0);
      expect(first.get(rowOf.get(invalid.id) as string)).toMatchObject({ kind: 'failed', step: 'validate', reason: r['pfb_lasterror'] });
    }
    // The exact rendering the ribbon shows, for the task without an estimate.
    const noEffort = TELECOM_INVALID_TASKS.noEffort;
    const expected = validateTasks(
      [{ id: noEffort.id, name: noEffort.subject, projectId: 'p', isSummary: false, effortHours: 0, start: null, end: null, assignments: [] }],
      { projects: {}, roles: {} },
    ).issues.find((i) => i.code === 'missingEffort');
    expect(row(noEffort.id)['pfb_lasterror']).toContain(formatValidationIssue(expected as NonNullable<typeof expected>));
  });

  it('uses a handful of Dataverse requests for the whole program', () => {
    // 2 batched reads, mark, upsert, post-write read, requirements, outcome.
    expect(firstRunRequests).toBe(7);
    expect(firstRunRequests / countWorkOrders()).toBeLessThan(0.1);
  });
});

describe('running again', () => {
  it('skips rows already Synced or Failed with the same reason: a duplicate message reads and writes nothing else', async () => {
    const before = dv.server.stats.total;
    const versions = dv.dataverse.store.select('msdyn_workorder', '', []).map((w) => w['versionnumber']);
    const failedVersions = Object.values(TELECOM_INVALID_TASKS).map((t) => row(t.id)['versionnumber']);
    const again = await sync([...rowOf.keys()]);
    const valid = [...rowOf.keys()].filter((t) => !INVALID_IDS.has(t));
    for (const t of valid) expect(again.get(rowOf.get(t) as string)?.kind).toBe('skipped');
    // Failed rows are re-validated (a re-drive) but not rewritten: the same failure writes nothing.
    expect(Object.values(TELECOM_INVALID_TASKS).map((t) => row(t.id)['versionnumber'])).toEqual(failedVersions);
    expect(dv.dataverse.store.select('msdyn_workorder', '', []).map((w) => w['versionnumber'])).toEqual(versions);
    expect(dv.server.stats.total - before).toBeLessThanOrEqual(3);
  });

  it('re-marked Ready to Sync, an unchanged program creates and writes no work orders', async () => {
    const valid = [...rowOf.keys()].filter((t) => !INVALID_IDS.has(t));
    await setSyncStatus(client, valid.map((t) => rowOf.get(t) as string), SyncStatus.ReadyToSync);
    const count = countWorkOrders();
    const versions = dv.dataverse.store.select('msdyn_resourcerequirement', '', []).map((r) => r['versionnumber']);
    const woVersions = dv.dataverse.store.select('msdyn_workorder', '', []).map((w) => w['versionnumber']);
    const before = dv.server.stats.total;
    const again = await sync(valid);
    // Reads (2), mark Syncing, mark Synced: nothing for work orders or requirements.
    expect(dv.server.stats.total - before).toBe(4);
    expect(countWorkOrders()).toBe(count);
    expect(dv.dataverse.store.select('msdyn_workorder', '', []).map((w) => w['versionnumber'])).toEqual(woVersions);
    expect(dv.dataverse.store.select('msdyn_resourcerequirement', '', []).map((r) => r['versionnumber'])).toEqual(versions);
    for (const t of valid) {
      const o = again.get(rowOf.get(t) as string);
      expect(o).toMatchObject({ kind: 'synced', workOrders: { created: 0, updated: 0, cancelled: 0, requirementsUpdated: 0 } });
      expect(row(t)).toMatchObject({ pfb_syncstatus: SyncStatus.Synced, pfb_attempts: 2 });
    }
  });
});

/** Books a work order's requirement to a technician with a booking status of the given name. */
async function book(workOrder: Attributes, status: keyof typeof BOOKING_STATUS_IDS): Promise<void> {
  const resource = dv.dataverse.store.select('bookableresource', '', [], 'LIMIT 1')[0] as Attributes;
  const [req] = requirementsOf(dv, workOrder['msdyn_workorderid'] as string);
  await client.create('bookableresourcebookings', {
    name: `Booking of ${String(workOrder['msdyn_name'])}`,
    starttime: workOrder['msdyn_timefrompromised'],
    endtime: workOrder['msdyn_timetopromised'],
    'Resource@odata.bind': `/bookableresources(${String(resource['bookableresourceid'])})`,
    'BookingStatus@odata.bind': `/bookingstatuses(${BOOKING_STATUS_IDS[status]})`,
    'msdyn_workorder@odata.bind': `/msdyn_workorders(${String(workOrder['msdyn_workorderid'])})`,
    'msdyn_resourcerequirement@odata.bind': `/msdyn_resourcerequirements(${String(req?.['msdyn_resourcerequirementid'])})`,
  });
}

/** Changes a task through the Project schedule API, as a Project-licensed user would. */
async function changeTask(taskId: string, changes: Record<string, unknown>): Promise<void> {
  const task = dv.dataverse.store.get('msdyn_projecttask', taskId) as Attributes;
  const { OperationSetId } = await client.action<{ OperationSetId: string }>('msdyn_CreateOperationSetV1', { ProjectId: refOf(task['msdyn_project']), Description: 'test: re-plan a task' });
  await client.action('msdyn_PssUpdateV1', { Entity: { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_projecttask', msdyn_projecttaskid: taskId, ...changes }, OperationSetId });
  await client.action('msdyn_ExecuteOperationSetV1', { OperationSetId });
  await dv.idle();
  expect(dv.dataverse.store.get('msdyn_projecttask', taskId)).toMatchObject(changes);
}

describe('a changed task', () => {
  const hunter = (): string => TELECOM_PROJECT_IDS['hunter'] as string;

  it('gets its diff: creates and updates for a longer task; updates and cancels for a shorter one, never cancelling started work', async () => {
    // Longer: civil works, 3 → 4 days, 2 crew, 72 h → 9 h per person per day (was 8).
    const civil = taskIdByName(dv, hunter(), 'Civil works – cable trench & equipment pad');
    const civilTask = dv.dataverse.store.get('msdyn_projecttask', civil) as Attributes;
    const civilBefore = workOrdersOfTask(dv, civil);
    expect(civilBefore).toHaveLength(6);
    const end = new Date(Date.parse(String(civilTask['msdyn_scheduledend'])) + 24 * 3600_000).toISOString().replace('.000Z', 'Z');
    // Shorter: the AAU install, 2 → 1 day, 3 people, 30 h; one of its day-2 work orders has a technician on site.
    const aau = taskIdByName(dv, hunter(), 'Install 5G AAU & RRU');
    const aauTask = dv.dataverse.store.get('msdyn_projecttask', aau) as Attributes;
    const aauBefore = workOrdersOfTask(dv, aau);
    expect(aauBefore).toHaveLength(6);
    const startedWo = aauBefore[4] as Attributes;
    await book(startedWo, 'In Progress');
    await book(aauBefore[3] as Attributes, 'Scheduled');
    expect(dv.dataverse.store.get('msdyn_workorder', startedWo['msdyn_workorderid'] as string)?.['msdyn_systemstatus']).toBe(WorkOrderSystemStatus.InProgress);
    const firstDayEnd = new Date(Date.parse(String(aauTask['msdyn_scheduledstart'])) + 9 * 3600_000).toISOString().replace('.000Z', 'Z');

    await changeTask(civil, { msdyn_scheduledend: end, msdyn_effort: 72 });
    await changeTask(aau, { msdyn_scheduledend: firstDayEnd, msdyn_effort: 30 });
    const civilPlan = expectedPlan(dv, civil);
    expect(civilPlan.slots).toHaveLength(8);
    await setSyncStatus(client, [rowOf.get(civil) as string, rowOf.get(aau) as string], SyncStatus.ReadyToSync);
    const count = countWorkOrders();
    const outcomes = await sync([civil, aau]);

    expect(outcomes.get(rowOf.get(civil) as string)).toMatchObject({ kind: 'synced', workOrders: { created: 2, updated: 6, cancelled: 0, requirementsUpdated: 8 } });
    expect(outcomes.get(rowOf.get(aau) as string)).toMatchObject({ kind: 'synced', workOrders: { created: 0, updated: 3, cancelled: 2, keptStarted: 1 } });
    expect(countWorkOrders()).toBe(count + 2);

    const civilAfter = workOrdersOfTask(dv, civil);
    expect(civilAfter.map((w) => w['pfb_plannedeffort'])).toEqual(civilPlan.slots.map((s) => s.effortHours));
    expect(civilAfter.map((w) => w['pfb_sourcekey'])).toEqual(civilPlan.slots.map((s) => s.key));
    for (const [i, wo] of civilAfter.entries()) expect(requirementsOf(dv, wo['msdyn_workorderid'] as string)[0]?.['msdyn_duration']).toBe(Math.round((civilPlan.slots[i]?.effortHours ?? 0) * 60));

    const aauAfter = workOrdersOfTask(dv, aau);
    expect(aauAfter.map((w) => w['msdyn_systemstatus'])).toEqual([
      WorkOrderSystemStatus.Unscheduled,
      WorkOrderSystemStatus.Unscheduled,
      WorkOrderSystemStatus.Unscheduled,
      WorkOrderSystemStatus.Canceled, // only booked, not started: cancelled (and Field Service cancels its booking)
      WorkOrderSystemStatus.InProgress, // started: kept, untouched
      WorkOrderSystemStatus.Canceled,
    ]);
    expect(aauAfter[4]?.['versionnumber']).toBe(dv.dataverse.store.get('msdyn_workorder', startedWo['msdyn_workorderid'] as string)?.['versionnumber']);
    expect(aauAfter[4]?.['pfb_plannedeffort']).toBe(startedWo['pfb_plannedeffort']);
    expect(aauAfter.slice(0, 3).map((w) => w['pfb_plannedeffort'])).toEqual([10, 10, 10]);
    expect(row(aau)).toMatchObject({ pfb_syncstatus: SyncStatus.Synced, pfb_plannedworkorders: 3, pfb_planfingerprint: expectedPlan(dv, aau).fingerprint });
  });

  it('a Cancelled row cancels the task\'s not-started work orders, keeps the started one, and stays Cancelled', async () => {
    const aau = taskIdByName(dv, hunter(), 'Install 5G AAU & RRU');
    const sweep = taskIdByName(dv, hunter(), 'RF cabling & sweep test');
    await setSyncStatus(client, [rowOf.get(aau) as string, rowOf.get(sweep) as string], SyncStatus.Cancelled);
    const outcomes = await sync([aau, sweep]);
    expect(outcomes.get(rowOf.get(sweep) as string)).toMatchObject({ kind: 'cancelled', workOrders: { cancelled: 1, keptStarted: 0 } });
    expect(outcomes.get(rowOf.get(aau) as string)).toMatchObject({ kind: 'cancelled', workOrders: { cancelled: 3, keptStarted: 1 } });
    expect(workOrdersOfTask(dv, sweep).map((w) => w['msdyn_systemstatus'])).toEqual([WorkOrderSystemStatus.Canceled]);
    const aauStatuses = workOrdersOfTask(dv, aau).map((w) => w['msdyn_systemstatus']);
    expect(aauStatuses.filter((s) => s === WorkOrderSystemStatus.InProgress)).toHaveLength(1);
    expect(aauStatuses.filter((s) => s === WorkOrderSystemStatus.Canceled)).toHaveLength(5);
    expect(row(aau)['pfb_syncstatus']).toBe(SyncStatus.Cancelled);
    expect(row(aau)['pfb_lasterror']).toMatch(/^1 work order\(s\) were not cancelled because work on them has started: \d{5}\./);
    expect(row(sweep)).toMatchObject({ pfb_syncstatus: SyncStatus.Cancelled, pfb_lasterror: null });

    // Marked again, the task comes back: its cancelled work orders are reactivated by key, not duplicated.
    const count = countWorkOrders();
    await setSyncStatus(client, [rowOf.get(sweep) as string], SyncStatus.ReadyToSync);
    const again = await sync([sweep]);
    expect(again.get(rowOf.get(sweep) as string)).toMatchObject({ kind: 'synced', workOrders: { created: 0, updated: 1 } });
    expect(workOrdersOfTask(dv, sweep).map((w) => w['msdyn_systemstatus'])).toEqual([WorkOrderSystemStatus.Unscheduled]);
    expect(countWorkOrders()).toBe(count);
  });
});

describe('a write Dataverse refuses for one task', () => {
  let local: RunningDataverse;
  afterAll(() => local?.close());

  it('fails only the tasks whose work orders it refuses, with Dataverse\'s code, and syncs the rest', async () => {
    local = await startDataverse({ seed: 'telecom', limits: REAL_LIMITS });
    const c = clientFor(local);
    // The Fibre Splicer role points at a work order type that has been deleted: validation sees a mapping, Dataverse refuses the bind.
    const splicer = local.dataverse.store.select('bookableresourcecategory', 't0."name" = ?', ['Fibre Splicer'])[0] as Attributes;
    local.dataverse.store.update('bookableresourcecategory', splicer['bookableresourcecategoryid'] as string, {
      pfb_workordertype: { logicalName: 'msdyn_workordertype', id: randomUUID() },
    });
    const leaves = leafTaskIds(local).filter((t) => !INVALID_IDS.has(t));
    const rows = await markReadyToSync(c, local, leaves);
    const outcomes = await syncTasks([...rows.values()], { dataverse: c, settings });
    const fibre = leaves.filter((t) => String(local.dataverse.store.get('msdyn_projecttask', t)?.['msdyn_subject']).startsWith('Fibre backhaul'));
    expect(fibre).toHaveLength(4);
    for (const t of leaves) {
      const r = local.dataverse.store.get('pfb_tasksync', rows.get(t) as string) as Attributes;
      if (fibre.includes(t)) {
        expect(outcomes.get(rows.get(t) as string)).toMatchObject({ kind: 'failed', step: 'upsertWorkOrders' });
        expect(r['pfb_syncstatus']).toBe(SyncStatus.Failed);
        expect(r['pfb_lasterror']).toMatch(/^Task “Fibre backhaul splice & OTDR test” was not synced: Dataverse refused writing work orders with UpsertMultiple by source key — error 0x80040217 \(HTTP 404\): msdyn_workordertype With Id = .* Does Not Exist\. This is not retried/);
        expect(local.dataverse.store.select('msdyn_workorder', 't0."pfb_projecttask" = ?', [t])).toHaveLength(0);
      } else {
        expect([t, r['pfb_syncstatus']]).toEqual([t, SyncStatus.Synced]);
        expect(local.dataverse.store.select('msdyn_workorder', 't0."pfb_projecttask" = ?', [t])).toHaveLength(expectedPlan(local, t).slots.length);
      }
    }
  });
});
