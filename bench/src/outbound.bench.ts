/**
 * Outbound task sync (DESIGN §7 "Dataverse requests per work order … ≤ 0.02; naive one-call-per-record is ≥ 2"):
 * the bridge's `syncTasks` turns every leaf task of the `scale:500` program (500 multi-day, multi-resource field
 * tasks; Project for the web allows 500 tasks per project summaries included, so the seed puts 450 leaves in one
 * project and 50 in a second) into work orders, against the local Dataverse with Dataverse's real service protection
 * limits, counting requests as Dataverse does ($batch and bulk messages are one each).
 *
 * The baseline is measured, not assumed: a naive sync (below, bench-only) does one request per record — read the
 * row, the task, the project, the assignments, each team member and role; mark Syncing; POST each work order, GET and
 * PATCH its requirement; mark Synced — on a sample of tasks of the same program in a fresh local Dataverse. Its
 * requests per work order are the sample's; its time for the whole program is the sample's time per task × the task
 * count, raised to the service protection floor when its requests would exceed 6,000 in 5 minutes (Dataverse then
 * answers 429 until the window lets the user in again).
 */
import {
  SyncStatus,
  WorkOrderSystemStatus,
  account,
  bookableresourcecategory,
  msdyn_project,
  msdyn_projectteam,
  msdyn_projecttask,
  msdyn_resourceassignment,
  msdyn_resourcerequirement,
  msdyn_workorder,
  msdyn_workordertype,
  parseWorkingHours,
  pfb_tasksync,
  planWorkOrders,
  pricelevel,
  type RoleDemand,
} from '@pfb/domain';
import { REAL_LIMITS, startDataverse, type RunningDataverse } from '@pfb/sandbox';
import { DataverseClient } from '../../functions-bridge/src/services/dataverse/dataverseClient';
import { syncTasks } from '../../functions-bridge/src/services/taskSync';
import type { Results } from './results';

type Row = Record<string, unknown>;

const credential = { getToken: () => Promise.resolve({ token: 'bench', expiresOnTimestamp: Date.now() + 3600_000 }) };
const newClient = (dv: RunningDataverse): DataverseClient => new DataverseClient({ serviceRoot: dv.url, credential });

const WINDOW_SECONDS = REAL_LIMITS.windowMs / 1000;

/** Leaf task ids in WBS order (setup: read from the store, not counted). */
export function leafTasks(dv: RunningDataverse): { id: string; projectId: string; subject: string }[] {
  return dv.dataverse.store
    .select(msdyn_projecttask.logicalName, '', [], 'ORDER BY t0."msdyn_project", t0."msdyn_displaysequence"')
    .filter((t) => t['msdyn_summary'] !== true)
    .map((t) => ({ id: t['msdyn_projecttaskid'] as string, projectId: (t['msdyn_project'] as { id: string }).id, subject: String(t['msdyn_subject']) }));
}

/** What the ribbon does: one pfb_tasksync row per task, Ready to Sync (setup, not counted). */
export async function markReadyToSync(client: DataverseClient, tasks: readonly { id: string; projectId: string; subject: string }[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < tasks.length; i += 1000) {
    const targets = tasks.slice(i, i + 1000).map((t) => ({
      pfb_name: t.subject,
      'pfb_projecttask@odata.bind': `/${msdyn_projecttask.entitySetName}(${t.id})`,
      'pfb_project@odata.bind': `/${msdyn_project.entitySetName}(${t.projectId})`,
      pfb_syncstatus: SyncStatus.ReadyToSync,
      pfb_requestedon: new Date().toISOString(),
    }));
    const result = (await client.bulk(pfb_tasksync.entitySetName, 'CreateMultiple', pfb_tasksync.logicalName, targets)) as { Ids: string[] };
    ids.push(...result.Ids);
  }
  return ids;
}

// ---- the naive way (bench only) ------------------------------------------------------------------------------------

const lookup = (row: Row, column: string): string => row[`_${column}_value`] as string;
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

/** One request per record, the way a first integration is usually written. Returns the work orders it created. */
async function naiveSyncOne(client: DataverseClient, taskSyncId: string): Promise<number> {
  const row = (await client.retrieve(pfb_tasksync.entitySetName, taskSyncId, ['_pfb_projecttask_value', 'pfb_attempts'])) as Row;
  const taskId = lookup(row, 'pfb_projecttask');
  const task = (await client.retrieve(msdyn_projecttask.entitySetName, taskId, ['msdyn_subject', 'msdyn_effort', 'msdyn_scheduledstart', 'msdyn_scheduledend', '_msdyn_project_value'])) as Row;
  const project = (await client.retrieve(msdyn_project.entitySetName, lookup(task, 'msdyn_project'), [
    '_pfb_serviceaccount_value',
    '_pfb_pricelist_value',
    'pfb_timezone',
    'pfb_workinghours',
  ])) as Row;
  const assignments = await client.retrieveAll(msdyn_resourceassignment.entitySetName, { select: ['_msdyn_projectteamid_value'], filter: `_msdyn_taskid_value eq ${taskId}` });
  const roles = new Map<string, RoleDemand & { workOrderTypeId: string }>();
  for (const a of assignments) {
    const member = (await client.retrieve(msdyn_projectteam.entitySetName, lookup(a, 'msdyn_projectteamid'), ['_msdyn_resourcecategory_value'])) as Row;
    const roleId = lookup(member, 'msdyn_resourcecategory');
    const known = roles.get(roleId);
    if (known) {
      roles.set(roleId, { ...known, count: known.count + 1 });
      continue;
    }
    const role = (await client.retrieve(bookableresourcecategory.entitySetName, roleId, ['name', '_pfb_workordertype_value'])) as Row;
    roles.set(roleId, { roleId, roleName: String(role['name']), count: 1, workOrderTypeId: lookup(role, 'pfb_workordertype') });
  }
  await client.update(pfb_tasksync.entitySetName, taskSyncId, { pfb_syncstatus: SyncStatus.Syncing, pfb_attempts: ((row['pfb_attempts'] as number | null) ?? 0) + 1 });

  const hours = parseWorkingHours(String(project['pfb_workinghours']));
  if (!hours.ok) throw new Error(hours.problem);
  const plan = planWorkOrders({
    taskId,
    taskName: String(task['msdyn_subject']),
    start: iso(task['msdyn_scheduledstart']),
    end: iso(task['msdyn_scheduledend']),
    effortHours: task['msdyn_effort'] as number,
    resources: [...roles.values()].map(({ roleId, roleName, count }) => ({ roleId, roleName, count })),
    timeZone: String(project['pfb_timezone']),
    workingHours: hours.value,
  });
  for (const slot of plan.slots) {
    const workOrderId = await client.create(msdyn_workorder.entitySetName, {
      pfb_sourcekey: slot.key,
      'msdyn_serviceaccount@odata.bind': `/${account.entitySetName}(${lookup(project, 'pfb_serviceaccount')})`,
      'msdyn_pricelist@odata.bind': `/${pricelevel.entitySetName}(${lookup(project, 'pfb_pricelist')})`,
      'msdyn_workordertype@odata.bind': `/${msdyn_workordertype.entitySetName}(${(roles.get(slot.roleId) as { workOrderTypeId: string }).workOrderTypeId})`,
      'pfb_project@odata.bind': `/${msdyn_project.entitySetName}(${lookup(task, 'msdyn_project')})`,
      'pfb_projecttask@odata.bind': `/${msdyn_projecttask.entitySetName}(${taskId})`,
      'pfb_tasksync@odata.bind': `/${pfb_tasksync.entitySetName}(${taskSyncId})`,
      pfb_slotindex: slot.slotIndex,
      pfb_plannedeffort: slot.effortHours,
      msdyn_timefrompromised: slot.windowStart,
      msdyn_timetopromised: slot.windowEnd,
      msdyn_systemstatus: WorkOrderSystemStatus.Unscheduled,
    });
    const [requirement] = await client.retrieveAll(msdyn_resourcerequirement.entitySetName, { select: ['msdyn_resourcerequirementid'], filter: `_msdyn_workorder_value eq ${workOrderId}` });
    await client.update(msdyn_resourcerequirement.entitySetName, requirement?.['msdyn_resourcerequirementid'] as string, {
      'msdyn_resourcecategory@odata.bind': `/${bookableresourcecategory.entitySetName}(${slot.roleId})`,
      msdyn_duration: Math.round(slot.effortHours * 60),
      msdyn_fromdate: slot.windowStart,
      msdyn_todate: slot.windowEnd,
    });
  }
  await client.update(pfb_tasksync.entitySetName, taskSyncId, {
    pfb_syncstatus: SyncStatus.Synced,
    pfb_lastsyncedon: new Date().toISOString(),
    pfb_plannedworkorders: plan.slots.length,
    pfb_planfingerprint: plan.fingerprint,
  });
  return plan.slots.length;
}

// ---- the benchmark -------------------------------------------------------------------------------------------------

export async function benchOutbound(quick: boolean): Promise<Results> {
  const taskCount = quick ? 100 : 500;
  const naiveSample = quick ? 20 : 50;
  const seed = `scale:${taskCount}` as const;

  // The bridge's bulk sync, real limits.
  const dv = await startDataverse({ seed, limits: REAL_LIMITS });
  let bulk: { seconds: number; clientRequests: number; serverRequests: number; workOrders: number; synced: number; projects: number; throttled: number };
  try {
    const tasks = leafTasks(dv);
    const rowIds = await markReadyToSync(newClient(dv), tasks);
    const bridge = newClient(dv);
    dv.server.resetStats();
    const started = performance.now();
    const outcomes = await syncTasks(rowIds, { dataverse: bridge, settings: { PLANNING_POLICY: 'perDay' } });
    const seconds = (performance.now() - started) / 1000;
    const synced = [...outcomes.values()].filter((o) => o.kind === 'synced').length;
    if (synced !== tasks.length) throw new Error(`outbound bench: ${synced} of ${tasks.length} tasks synced: ${JSON.stringify([...outcomes.values()].find((o) => o.kind !== 'synced'))}`);
    bulk = {
      seconds,
      clientRequests: bridge.stats.requests,
      serverRequests: dv.server.stats.total,
      workOrders: dv.dataverse.store.count(msdyn_workorder.logicalName, '', []),
      synced,
      projects: new Set(tasks.map((t) => t.projectId)).size,
      throttled: dv.server.stats.throttled,
    };
  } finally {
    await dv.close();
  }

  // The naive way on a sample of the same program, real limits.
  const naiveDv = await startDataverse({ seed, limits: REAL_LIMITS });
  let naive: { seconds: number; requests: number; serverRequests: number; workOrders: number; tasks: number };
  try {
    const sample = leafTasks(naiveDv).slice(0, naiveSample);
    const rowIds = await markReadyToSync(newClient(naiveDv), sample);
    const client = newClient(naiveDv);
    naiveDv.server.resetStats();
    const started = performance.now();
    let workOrders = 0;
    for (const id of rowIds) workOrders += await naiveSyncOne(client, id);
    naive = { seconds: (performance.now() - started) / 1000, requests: client.stats.requests, serverRequests: naiveDv.server.stats.total, workOrders, tasks: sample.length };
  } finally {
    await naiveDv.close();
  }

  const perWorkOrder = bulk.serverRequests / bulk.workOrders;
  const naivePerWorkOrder = naive.serverRequests / naive.workOrders;
  // The naive way for the whole program: its requests per task × tasks, and the time that takes at its measured
  // pace, or — when that is more than Dataverse lets one user send in 5 minutes — at least one window per extra 6,000.
  const naiveRequestsAll = (naive.serverRequests / naive.tasks) * taskCount;
  const naivePaced = (naive.seconds / naive.tasks) * taskCount;
  const naiveFloor = (Math.ceil(naiveRequestsAll / REAL_LIMITS.requests) - 1) * WINDOW_SECONDS;
  const naiveAll = Math.max(naivePaced, naiveFloor);

  return {
    'outbound.requestsPerWorkOrder': {
      value: round(perWorkOrder, 4),
      unit: 'requests/work order',
      baseline: round(naivePerWorkOrder, 2),
      notes:
        `syncTasks of ${bulk.synced} leaf tasks (${seed}: ${bulk.projects} project(s), multi-day, multi-resource) → ${bulk.workOrders} work orders + requirements in ` +
        `${bulk.serverRequests} Dataverse requests (server count; client ${bulk.clientRequests}, ${bulk.throttled} throttled), real limits. ` +
        `Baseline: a naive one-request-per-record sync measured on ${naive.tasks} tasks → ${naive.workOrders} work orders in ${naive.serverRequests} requests`,
    },
    'outbound.sync500TasksSeconds': {
      value: round(bulk.seconds, 2),
      unit: 's',
      baseline: round(naiveAll, 1),
      notes:
        `wall time of syncTasks for ${bulk.synced} tasks against the local Dataverse with real limits${quick ? ' (quick mode: fewer tasks, same metric name)' : ''}. ` +
        `Baseline: naive ${round(naive.seconds, 2)} s for ${naive.tasks} tasks, × ${taskCount / naive.tasks} = ${round(naivePaced, 1)} s at that pace; ` +
        `its ~${Math.round(naiveRequestsAll)} requests ${naiveFloor > 0 ? `exceed ${REAL_LIMITS.requests} per ${WINDOW_SECONDS} s, so Dataverse would hold it ≥ ${naiveFloor} s` : `stay within ${REAL_LIMITS.requests} per ${WINDOW_SECONDS} s`}`,
    },
  };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
